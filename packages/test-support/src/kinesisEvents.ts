import { compareSequenceNumbers, shardIdOf } from '@firstseen/detector';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/**
 * Builds the KinesisStreamEvent that Lambda's event source mapping would hand the detector.
 * Reusable by any workspace's tests: `import { kinesisEvent } from '@firstseen/test-support'`.
 */

export const DEFAULT_SHARD_ID = 'shardId-000000000000';
export const DEFAULT_STREAM_ARN = 'arn:aws:kinesis:us-east-1:111122223333:stream/firstseen-events';

/** A payload: an object (sent as JSON), a string (UTF-8), raw bytes, or `{ rawData }` (kinesis.data verbatim). */
export type KinesisPayload = object | string | Uint8Array | { rawData: string };

export interface KinesisRecordOptions {
  shardId?: string;
  /** Decimal sequence number; see `sequenceNumber()`. */
  sequenceNumber?: string;
  partitionKey?: string;
  /** Epoch seconds. */
  approximateArrivalTimestamp?: number;
}

/** A realistic 56-digit Kinesis sequence number for index `n` (monotonic in n). */
export function sequenceNumber(n: number): string {
  return `4959${String(n).padStart(52, '0')}`;
}

function isRaw(p: KinesisPayload): p is { rawData: string } {
  return (
    typeof p === 'object' &&
    p !== null &&
    !(p instanceof Uint8Array) &&
    'rawData' in p &&
    Object.keys(p).length === 1
  );
}

/** kinesis.data for a payload: base64 of its bytes (or the raw string for `{ rawData }`). */
export function kinesisData(payload: KinesisPayload): string {
  if (isRaw(payload)) return payload.rawData;
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('base64');
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return Buffer.from(text, 'utf8').toString('base64');
}

export function kinesisRecord(
  payload: KinesisPayload,
  options: KinesisRecordOptions = {},
): KinesisStreamRecord {
  const shardId = options.shardId ?? DEFAULT_SHARD_ID;
  const seq = options.sequenceNumber ?? sequenceNumber(0);
  return {
    awsRegion: 'us-east-1',
    eventID: `${shardId}:${seq}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventSourceARN: DEFAULT_STREAM_ARN,
    eventVersion: '1.0',
    invokeIdentityArn: 'arn:aws:iam::111122223333:role/firstseen-detector',
    kinesis: {
      approximateArrivalTimestamp: options.approximateArrivalTimestamp ?? 1_700_000_000.123,
      data: kinesisData(payload),
      kinesisSchemaVersion: '1.0',
      partitionKey: options.partitionKey ?? 'pk',
      sequenceNumber: seq,
    },
  };
}

export interface KinesisEventOptions {
  shardId?: string;
  /** Index of the first record's sequence number (default 0). */
  firstSequence?: number;
  approximateArrivalTimestamp?: number;
}

/** An event whose records are the payloads in order, one shard, increasing sequence numbers. */
export function kinesisEvent(
  payloads: readonly KinesisPayload[],
  options: KinesisEventOptions = {},
): KinesisStreamEvent {
  const first = options.firstSequence ?? 0;
  return {
    Records: payloads.map((p, i) => {
      const o: KinesisRecordOptions = { sequenceNumber: sequenceNumber(first + i) };
      if (options.shardId !== undefined) o.shardId = options.shardId;
      if (options.approximateArrivalTimestamp !== undefined)
        o.approximateArrivalTimestamp = options.approximateArrivalTimestamp;
      return kinesisRecord(p, o);
    }),
  };
}

/** Several shards' records in one event (the local poller may mix them; Lambda gives one shard per batch). */
export function mergeEvents(...events: KinesisStreamEvent[]): KinesisStreamEvent {
  return { Records: events.flatMap((e) => e.Records) };
}

/**
 * What Lambda redelivers after a partial batch response: per shard, it checkpoints at the lowest
 * reported sequence number and retries every record from there (only the lowest one counts).
 */
export function redelivery(
  event: KinesisStreamEvent,
  response: KinesisStreamBatchResponse,
): KinesisStreamEvent {
  const reported = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const lowest = new Map<string, string>();
  for (const r of event.Records) {
    if (!reported.has(r.kinesis.sequenceNumber)) continue;
    const shard = shardIdOf(r);
    const cur = lowest.get(shard);
    if (cur === undefined || compareSequenceNumbers(r.kinesis.sequenceNumber, cur) < 0)
      lowest.set(shard, r.kinesis.sequenceNumber);
  }
  return {
    Records: event.Records.filter((r) => {
      const from = lowest.get(shardIdOf(r));
      return from !== undefined && compareSequenceNumbers(r.kinesis.sequenceNumber, from) >= 0;
    }),
  };
}
