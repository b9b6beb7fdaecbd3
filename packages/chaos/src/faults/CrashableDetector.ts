import type { Config } from '@firstseen/core';
import { createDetector, processKinesisBatch } from '@firstseen/detector';
import { createS3Client, KinesisPoller } from '@firstseen/local-stack';
import type { DetectionTrace } from '../types';
import { traceOf } from '../verdict/traceOf';
import { CrashableProcess, type CrashableProcessOptions } from './CrashableProcess';
import { attachProcessLife, never } from './crashableClient';

export interface CrashableDetectorOptions extends CrashableProcessOptions {
  config: Config;
  logLevel: string;
  onDetection: ((entry: DetectionTrace) => void) | undefined;
}

/**
 * The detector as a succession of processes: each a poller + detector with a cold cache, dying
 * at a random request (drawn when it starts) or between its claims and its outbox write, and
 * replaced by a new one that resumes from the shared checkpoints.
 */
export class CrashableDetector extends CrashableProcess<KinesisPoller, CrashableDetectorOptions> {
  constructor(options: CrashableDetectorOptions) {
    super('detector', options);
  }

  async start(): Promise<void> {
    const o = this.options;
    let poller: KinesisPoller | undefined;
    const life = this.newLife(40, 600, () => poller);
    const dynamodb = this.dynamoDbClient(life);
    const s3Client = createS3Client(o.stack.s3Endpoint);
    attachProcessLife(s3Client, life);
    o.cleanups.add(async () => s3Client.destroy());
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
      functionName: 'firstseen-detector',
      ...this.mapping(100),
    });
    await poller.start();
    this.running(poller, life);
  }
}
