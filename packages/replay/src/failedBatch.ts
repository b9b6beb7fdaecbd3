import type { FileValue } from './parseObject';

/**
 * Lambda's on-failure record for a stream batch, as its S3 destination writes it: the
 * invocation metadata, the batch's position (`KinesisBatchInfo` or `DDBStreamBatchInfo`) and,
 * for S3 destinations only, the whole invocation event as `payload` (docs: "Retain discarded
 * batch records for a Kinesis Data Streams event source in Lambda"). SQS and SNS destinations
 * carry the metadata alone.
 */
interface OnFailureRecord {
  requestContext?: { condition?: string };
  KinesisBatchInfo?: { streamArn?: string };
  DDBStreamBatchInfo?: { streamArn?: string };
  payload?: unknown;
}

// aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>
const FAILED_BATCH_KEY = /(?:^|\/)aws\/lambda\/[0-9a-f-]{36}\/[^/]+\/\d{4}\/\d{2}\/\d{2}\/[^/]+$/i;

/** Whether an object key is one of Lambda's on-failure records in an S3 destination. */
export function isFailedBatchKey(key: string): boolean {
  return FAILED_BATCH_KEY.test(key);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a parsed JSON value is an on-failure record (rather than CloudTrail data). */
export function isOnFailureRecord(value: unknown): value is OnFailureRecord {
  return (
    isObject(value) &&
    isObject(value.requestContext) &&
    (isObject(value.KinesisBatchInfo) || isObject(value.DDBStreamBatchInfo))
  );
}

export type FailedBatchRecords =
  | { ok: true; values: FileValue[] }
  | { ok: false; reason: 'no-payload' | 'not-kinesis'; detail: string };

/**
 * The records of a failed Kinesis batch: each `Records[].kinesis.data` of the payload, base64
 * decoded and parsed (the EventBridge envelopes the organization rule put on the stream). A
 * record that does not decode is one invalid value, as a bad line of a file is.
 */
export function failedBatchRecords(record: OnFailureRecord): FailedBatchRecords {
  if (!record.KinesisBatchInfo) {
    return {
      ok: false,
      reason: 'not-kinesis',
      detail:
        'a failed batch of the alerts table stream: its alerts are in the alerts table, `npm run redrive` re-sends them',
    };
  }
  let payload = record.payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      payload = undefined;
    }
  }
  const records = isObject(payload) ? payload.Records : undefined;
  if (!Array.isArray(records)) {
    return {
      ok: false,
      reason: 'no-payload',
      detail: 'the on-failure record carries no payload (only S3 destinations include the records)',
    };
  }
  return {
    ok: true,
    values: records.map((r): FileValue => {
      const data = isObject(r) && isObject(r.kinesis) ? r.kinesis.data : undefined;
      if (typeof data !== 'string') return { ok: false, detail: 'stream record without kinesis.data' };
      try {
        return { ok: true, value: JSON.parse(Buffer.from(data, 'base64').toString('utf8')) };
      } catch {
        return { ok: false, detail: 'kinesis.data is not base64 of JSON' };
      }
    }),
  };
}
