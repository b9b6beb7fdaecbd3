import type { Config } from '@firstseen/core';
import { createDetector, processKinesisBatch } from '@firstseen/detector';
import {
  type CheckpointStore,
  createDynamoDbClient,
  createS3Client,
  KinesisPoller,
  type OnFailureDestination,
} from '@firstseen/local-stack';
import type { Logger } from 'pino';
import type { Cleanups } from './Cleanups';
import { RETRY_DELAY_MS } from './constants';
import { attachProcessLife, never, ProcessLife } from './crashableClient';
import type { PublishClock } from './PublishClock';
import { randomInt } from './random';
import { restartUntilUp } from './restartUntilUp';
import type { ChaosStack } from './startChaosStack';
import type { ThrottlingBursts } from './ThrottlingBursts';
import { traceOf } from './traceOf';
import type { DetectionTrace } from './types';

export interface CrashableDetectorOptions {
  stack: ChaosStack;
  config: Config;
  logLevel: string;
  /** Shared by every process, as the mapping's state outlives a Lambda container. */
  checkpoints: CheckpointStore;
  onFailure: OnFailureDestination;
  logger: Logger;
  random: () => number;
  /** Most crashes injected; once spent, planned deaths are skipped. */
  maxCrashes: number;
  /** Crashes are injected only while this holds (publishing and a little after). */
  faultWindowOpen: () => boolean;
  stopping: () => boolean;
  throttling: ThrottlingBursts;
  onDetection: ((entry: DetectionTrace) => void) | undefined;
  clock: PublishClock;
  cleanups: Cleanups;
  write: (line: string) => void;
}

/**
 * The detector as a succession of processes: each a poller + detector with a cold cache, dying
 * at a random request (drawn when it starts) or between its claims and its outbox write, and
 * replaced by a new one that resumes from the shared checkpoints.
 */
export class CrashableDetector {
  crashes = 0;
  /** The running process's poller, once it is up. */
  poller: KinesisPoller | undefined;
  /** The running process's life, once it is up: what a scheduled kill ends. */
  life: ProcessLife | undefined;

  constructor(private readonly options: CrashableDetectorOptions) {}

  /** Starts a new process (a cold start); rejects when it cannot come up (DynamoDB may be down). */
  async start(): Promise<void> {
    const o = this.options;
    let poller: KinesisPoller | undefined;
    const life = new ProcessLife(
      randomInt(o.random, 40, 600),
      () => o.faultWindowOpen() && this.crashes < o.maxCrashes && !o.stopping(),
      () => {
        this.crashes++;
        poller?.kill();
        o.write(`  ${o.clock.stamp()} detector killed (${this.crashes})`);
        void restartUntilUp('detector', () => this.start(), o.stopping, o.write);
      },
    );
    const dynamodb = createDynamoDbClient(o.stack.dynamo.endpoint);
    const s3Client = createS3Client(o.stack.s3Endpoint);
    attachProcessLife(dynamodb, life);
    attachProcessLife(s3Client, life);
    o.throttling.attach(dynamodb);
    o.cleanups.add(async () => {
      dynamodb.destroy();
      s3Client.destroy();
    });
    const detector = createDetector(
      {
        baselineTable: o.stack.tables.baseline.tableName,
        alertsTable: o.stack.tables.alerts.tableName,
        quarantineBucket: o.stack.quarantineBucket,
        configLocation: { kind: 'file', path: 'chaos config' },
        functionName: 'firstseen-detector',
        logLevel: o.logLevel,
        s3ForcePathStyle: true,
        config: o.config,
      },
      { dynamodb, s3: s3Client, logger: o.logger, metrics: () => {} },
    );
    const onDetection = o.onDetection;
    if (onDetection) {
      const engine = detector.deps.engine;
      const detect = engine.detect.bind(engine);
      const by = `detector-${this.crashes}`;
      engine.detect = async (e, source) => {
        const detection = await detect(e, source);
        onDetection(traceOf(by, e, detection.fired));
        return detection;
      };
    }
    // Between the claims and the outbox write: the window where a crash must not lose the alert.
    const outbox = detector.deps.outbox;
    detector.deps.outbox = {
      put: (alert) => (o.random() < 0.01 && life.die() ? never() : outbox.put(alert)),
    };
    poller = new KinesisPoller({
      client: o.stack.kinesis,
      streamName: o.stack.streamName,
      handler: (event) => processKinesisBatch(event, detector.deps),
      checkpoints: o.checkpoints,
      onFailure: o.onFailure,
      functionName: 'firstseen-detector',
      settings: {
        batchSize: 100,
        maximumBatchingWindowMs: 200,
        maximumRetryAttempts: 10,
        maximumRecordAgeSeconds: 21_600,
      },
      retryDelayMs: RETRY_DELAY_MS,
      pollIntervalMs: 100,
      logger: o.logger,
    });
    await poller.start();
    this.poller = poller;
    this.life = life;
  }
}
