import type { Config } from '@firstseen/core';
import { type CloudTrailRecord, toCloudTrailFiles } from '@firstseen/generator';
import {
  createBucket,
  createDynamoDbClient,
  createS3Client,
  deliverTrailFiles,
  LocalQueue,
  QueuePoller,
} from '@firstseen/local-stack';
import { createTrailReader, processTrailBatch } from '@firstseen/trail-reader';
import type { Logger } from 'pino';
import type { Cleanups } from '../Cleanups';
import { sleep } from '../sleep';
import type { ChaosStack } from '../startChaosStack';
import type { Put } from '../workload/planPuts';

/** The seed of the log files' object names (the order of the files does not depend on it). */
const FILE_SEED = 'firstseen-chaos-trail';

/**
 * The events as the trail reader sees them: bare CloudTrail records, file by file in delivery
 * order (`toCloudTrailFiles`), for the reference engine.
 */
export function inTrailOrder(records: readonly Record<string, unknown>[]): Put[] {
  const puts: Put[] = [];
  for (const file of toCloudTrailFiles(records as unknown as CloudTrailRecord[], { seed: FILE_SEED }))
    for (const r of file.records)
      puts.push({ data: Buffer.from(JSON.stringify(r)), partitionKey: 'trail', eventId: String(r.eventID) });
  return puts;
}

/**
 * Receives within which a notification must succeed before the dead-letter queue, and how long
 * a received one stays hidden: 15 receives 10 s apart outlast a DynamoDB Local restart (45-85 s),
 * as AWS's 5 receives of a 720 s visibility timeout outlast an outage there.
 */
const VISIBILITY_TIMEOUT_MS = 10_000;
const MAX_RECEIVE_COUNT = 15;

/**
 * The trail feed under chaos (`npm run chaos -- --feed both`): every valid event also lands in a
 * CloudTrail log file in s3rver, announced on a local queue with SQS semantics and read by the
 * trail reader (its own detector, same tables and outbox), as handlers/trail-reader is in AWS.
 * Counts the alerts the trail reader wrote first (its outbox put created the item).
 */
export class ChaosTrailFeed {
  readonly queue: LocalQueue;
  readonly deadLetters = new LocalQueue({ name: 'firstseen-trail-dlq' });
  /** Alerts whose outbox item the trail reader created (the EventBridge feed had not). */
  alertsFromTrail = 0;
  files = 0;
  private poller: QueuePoller | undefined;

  private constructor(
    private readonly stack: ChaosStack,
    private readonly bucket: string,
  ) {
    this.queue = new LocalQueue({
      visibilityTimeoutMs: VISIBILITY_TIMEOUT_MS,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      deadLetterQueue: this.deadLetters,
    });
  }

  /** Creates the trail bucket and starts the trail reader on the queue. */
  static async start(o: {
    stack: ChaosStack;
    config: Config;
    logger: Logger;
    logLevel: string;
    cleanups: Cleanups;
  }): Promise<ChaosTrailFeed> {
    const bucket = 'firstseen-chaos-trail';
    await createBucket(o.stack.s3, bucket);
    const feed = new ChaosTrailFeed(o.stack, bucket);
    const dynamodb = createDynamoDbClient(o.stack.dynamo.endpoint);
    const s3 = createS3Client(o.stack.s3Endpoint);
    o.cleanups.add(async () => {
      dynamodb.destroy();
      s3.destroy();
    });
    const reader = createTrailReader(
      {
        baselineTable: o.stack.tables.baseline.tableName,
        alertsTable: o.stack.tables.alerts.tableName,
        quarantineBucket: o.stack.quarantineBucket,
        configLocation: { kind: 'file', path: 'chaos config' },
        functionName: 'firstseen-trail-reader',
        logLevel: o.logLevel,
        s3ForcePathStyle: true,
        config: o.config,
      },
      { dynamodb, s3, logger: o.logger, metrics: () => {} },
    );
    const outbox = reader.deps.detector.outbox;
    reader.deps.detector.outbox = {
      put: async (alert) => {
        const created = await outbox.put(alert);
        if (created) feed.alertsFromTrail++;
        return created;
      },
    };
    feed.poller = new QueuePoller({
      queue: feed.queue,
      handler: (event) => processTrailBatch(event, reader.deps),
      batchSize: 10,
      onError: (err) => o.logger.error({ err }, 'trail-reader invocation failed: batch will be retried'),
    });
    feed.poller.start();
    o.cleanups.add(() => feed.stop());
    return feed;
  }

  /** What CloudTrail and S3 do: the events as log files in the trail bucket, one notification each. */
  async deliver(records: readonly Record<string, unknown>[]): Promise<void> {
    const { files } = await deliverTrailFiles({
      s3: this.stack.s3,
      bucket: this.bucket,
      queue: this.queue,
      records: records as unknown as CloudTrailRecord[],
      seed: FILE_SEED,
    });
    this.files += files;
  }

  /** True once every notification was read and deleted (or dead-lettered). */
  get drained(): boolean {
    return this.queue.size === 0;
  }

  /** Waits until the queue is empty or `timeoutMs` passed. */
  async waitDrained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.drained && Date.now() < deadline) await sleep(250);
    return this.drained;
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
  }
}
