import { isTransientError, processKinesisBatch } from '@firstseen/detector';
import { BadObjectError, parseObject } from '@firstseen/replay';
import type { KinesisStreamEvent, KinesisStreamRecord, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import pLimit from 'p-limit';
import { isTrailLogFile } from './isTrailLogFile';
import { objectsOfMessage, type TrailObject } from './trailNotification';
import type { BadTrailFile, TrailReaderDeps } from './types';

const DEFAULT_READ_CONCURRENCY = 4;

/** What became of one batch, beside the partial batch response. */
export interface TrailBatchCounts {
  messages: number;
  files: number;
  /** Objects named but not CloudTrail log files (digest, Insight, anything else). */
  skipped: number;
  /** Files (or notifications) quarantined. */
  badFiles: number;
  records: number;
  /** Messages reported for redelivery. */
  failed: number;
}

interface FileRecords {
  messageId: string;
  object: TrailObject;
  values: unknown[];
}

/**
 * The trail feed's batch step (docs/semantics.md "Second feed"): for each queue message, the
 * CloudTrail log files it names are read (GetObject), parsed with the replay's parser, and their
 * records run through the detector's own batch step (processKinesisBatch: same engine, claims
 * as `live`, same outbox, quarantine, heartbeats and metrics), each file as one shard of a
 * synthetic batch so that a failure maps back to its file and message.
 *
 * Failures:
 * - digest, Insight and other objects are skipped; an SQS message that names nothing readable
 *   (not a notification) and a corrupt or truncated file are quarantined with their key and
 *   acknowledged, so they never block the queue;
 * - a transient failure (GetObject throttled or denied, a store or outbox failure after the
 *   SDK's retries, a quarantine write failure) reports the message in `batchItemFailures`; SQS
 *   redelivers it after its visibility timeout and, after maxReceiveCount, moves it to the
 *   dead-letter queue. A redelivered file re-runs its records: claims re-claim for the same
 *   eventID and the outbox put is conditional on alertId, so it costs requests, never a second
 *   alert. The same holds for an event already seen through Kinesis.
 */
export async function processTrailBatch(
  event: SQSEvent,
  deps: TrailReaderDeps,
): Promise<SQSBatchResponse & { counts: TrailBatchCounts }> {
  const logger = deps.detector.logger;
  const messages = event.Records ?? [];
  const counts: TrailBatchCounts = {
    messages: messages.length,
    files: 0,
    skipped: 0,
    badFiles: 0,
    records: 0,
    failed: 0,
  };
  const failed = new Set<string>();
  const limit = pLimit(Math.max(1, deps.readConcurrency ?? DEFAULT_READ_CONCURRENCY));

  const setAside = async (file: BadTrailFile): Promise<void> => {
    try {
      await deps.files.put(file);
      counts.badFiles++;
      logger.warn({ ...file }, 'trail file quarantined');
    } catch (err) {
      failed.add(file.messageId);
      logger.error(
        { err, key: file.key, messageId: file.messageId },
        'quarantine write failed: message will be retried',
      );
    }
  };

  // Which files each message names.
  const wanted: { messageId: string; object: TrailObject }[] = [];
  const pending: Promise<void>[] = [];
  for (const message of messages) {
    const named = objectsOfMessage(message.body);
    if (!named.ok) {
      pending.push(
        setAside({ reason: 'bad-notification', detail: named.detail, messageId: message.messageId }),
      );
      continue;
    }
    for (const object of named.objects) {
      if (isTrailLogFile(object.key)) wanted.push({ messageId: message.messageId, object });
      else counts.skipped++;
    }
  }

  // Read and parse them.
  const files: FileRecords[] = [];
  await Promise.all([
    ...pending,
    ...wanted.map(({ messageId, object }) =>
      limit(async () => {
        let bytes: Uint8Array;
        try {
          bytes = await deps.readObject(object);
        } catch (err) {
          if (isTransientError(err)) {
            failed.add(messageId);
            logger.warn(
              { err, bucket: object.bucket, key: object.key, messageId },
              'trail file read failed: message will be retried',
            );
          } else {
            // Gone (NoSuchKey: deleted or expired before it was read): nothing to retry for.
            await setAside({ reason: 'unreadable', detail: describe(err), ...object, messageId });
          }
          return;
        }
        try {
          const values = parseObject(object.key, bytes);
          const bad = values.find((v) => !v.ok);
          if (bad !== undefined && !bad.ok) {
            await setAside({ reason: 'bad-json', detail: bad.detail, ...object, messageId });
            return;
          }
          files.push({ messageId, object, values: values.map((v) => (v.ok ? v.value : undefined)) });
        } catch (err) {
          if (!(err instanceof BadObjectError)) throw err;
          await setAside({ reason: err.reason, detail: err.message, ...object, messageId });
        }
      }),
    ),
  ]);
  counts.files = files.length;

  // Detect: each file one shard of a synthetic stream batch, its records in file order.
  const now = deps.detector.clock() / 1000;
  const records: KinesisStreamRecord[] = [];
  const messageOf = new Map<string, string>();
  for (const file of files) {
    const shard = `trail:${file.object.bucket}/${file.object.key}`;
    for (const value of file.values) {
      const sequenceNumber = String(records.length);
      messageOf.set(sequenceNumber, file.messageId);
      records.push(syntheticRecord(shard, sequenceNumber, value, file.object, now));
    }
  }
  counts.records = records.length;
  if (records.length > 0) {
    const batch: KinesisStreamEvent = { Records: records };
    const response = await processKinesisBatch(batch, deps.detector);
    for (const f of response.batchItemFailures) {
      const messageId = messageOf.get(f.itemIdentifier);
      if (messageId !== undefined) failed.add(messageId);
    }
  }

  counts.failed = failed.size;
  logger[failed.size > 0 ? 'warn' : 'info']({ trail: counts }, 'trail batch processed');
  return {
    batchItemFailures: messages
      .filter((m) => failed.has(m.messageId))
      .map((m) => ({ itemIdentifier: m.messageId })),
    counts,
  };
}

/** One CloudTrail record of a file in the shape Lambda gives a Kinesis record. */
function syntheticRecord(
  shard: string,
  sequenceNumber: string,
  value: unknown,
  object: TrailObject,
  arrival: number,
): KinesisStreamRecord {
  const eventId = (value as { eventID?: unknown } | null)?.eventID;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: typeof eventId === 'string' ? eventId : '',
      sequenceNumber,
      data: Buffer.from(JSON.stringify(value) ?? 'null').toString('base64'),
      approximateArrivalTimestamp: arrival,
    },
    eventSource: 'aws:s3',
    eventVersion: '1.0',
    eventID: `${shard}:${sequenceNumber}`,
    eventName: 'ObjectCreated',
    invokeIdentityArn: '',
    awsRegion: '',
    eventSourceARN: `arn:aws:s3:::${object.bucket}/${object.key}`,
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 500);
  return String(err).slice(0, 500);
}
