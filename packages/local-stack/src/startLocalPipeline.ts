import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Config, createLogger } from '@firstseen/core';
import { createDetector, type Detector, processKinesisBatch } from '@firstseen/detector';
import { AccountDirectoryReader, DynamoAccountDirectory } from '@firstseen/dynamodb-store';
import {
  createDeliverDeps,
  type DestinationChannel,
  DynamoDeliveryStateStore,
  DynamoSlackThreadStore,
  dispatchAlerts,
  type Secrets,
} from '@firstseen/notify';
import { createTrailReader, processTrailBatch } from '@firstseen/trail-reader';
import { type CheckpointStore, InMemoryCheckpointStore } from './CheckpointStore';
import { DynamoDbStreamPoller } from './DynamoDbStreamPoller';
import type { EventSourceMappingSettings } from './eventSourceMapping';
import { KinesisPoller } from './KinesisPoller';
import type { LocalQueue } from './LocalQueue';
import { QueuePoller } from './QueuePoller';
import { S3OnFailureDestination } from './S3OnFailureDestination';
import type { LocalStack } from './startLocalStack';

/** One event source mapping's local settings. */
export interface LocalMappingOptions {
  settings?: Partial<EventSourceMappingSettings>;
  /** Pause between polls of an idle shard (default 100 ms). */
  pollIntervalMs?: number;
}

export interface LocalPipelineOptions {
  stack: Pick<LocalStack, 'clients' | 'resources'>;
  config: Config;
  /** The destinations' secrets (webhook URLs, routing keys), as `loadSecrets` gives them. */
  secrets: Secrets;
  /** Named in the detector's logs as where the config came from. */
  configName: string;
  /** pino level of both functions' logs, on stderr (default `warn`). */
  logLevel?: string;
  detector?: LocalMappingOptions;
  dispatcher?: LocalMappingOptions & {
    /** Extra destinations by name, beside those the config builds (e.g. `console`). */
    channels?: ReadonlyMap<string, DestinationChannel>;
    /** Local Slack Web API and PagerDuty Events API receivers (default: the real services). */
    slackApiBaseUrl?: string;
    pagerDutyEventsUrl?: string;
  };
  /** Batches a mapping gives up on go to the failures bucket, as in AWS (default true). */
  failuresToS3?: boolean;
  /**
   * The trail feed (config `feed` trail or both): a trail-reader, built as handlers/trail-reader
   * builds it, consuming this queue's notifications through Lambda's SQS mapping.
   */
  trail?: { queue: LocalQueue; batchSize?: number };
}

export interface LocalPipeline {
  detector: Detector;
  /** The detector mapping's checkpoints: caught up when every published sequence is in. */
  kinesisCheckpoints: CheckpointStore;
  /** Stops both pollers, waiting for the batches in flight. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The pipeline as AWS runs it, on the local stack: Kinesis -> KinesisPoller -> the detector's
 * processKinesisBatch (wired as handlers/detector wires it) -> alerts table -> DynamoDB Streams
 * -> DynamoDbStreamPoller -> dispatchAlerts with the real delivery-state store. Used by
 * `npm start` and the benchmark's end-to-end latency; the chaos run wires its own, since each
 * of its processes dies and restarts with clients of its own.
 */
export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const { clients, resources: res } = options.stack;
  const logLevel = options.logLevel ?? 'warn';
  const failuresTo = (mappingId: string, batchInfoName: 'KinesisBatchInfo' | 'DDBStreamBatchInfo') =>
    options.failuresToS3 === false
      ? {}
      : {
          onFailure: new S3OnFailureDestination({
            client: clients.s3,
            bucket: res.failuresBucket,
            mappingId,
            batchInfoName,
          }),
        };

  const detectorLogger = createLogger({ name: 'detector', level: logLevel });
  const environment = {
    baselineTable: res.baselineTable,
    alertsTable: res.alertsTable,
    quarantineBucket: res.quarantineBucket,
    configLocation: { kind: 'file' as const, path: options.configName },
    functionName: 'firstseen-detector',
    logLevel,
    s3ForcePathStyle: true,
    config: options.config,
  };
  const clientOptions = {
    dynamodb: clients.dynamodb,
    s3: clients.s3,
    logger: detectorLogger,
    metrics: () => {},
  };
  const detector = createDetector(environment, clientOptions);
  const kinesisCheckpoints = new InMemoryCheckpointStore();
  const kinesisPoller = new KinesisPoller({
    client: clients.kinesis,
    streamName: res.streamName,
    handler: (event) => processKinesisBatch(event, detector.deps),
    checkpoints: kinesisCheckpoints,
    ...failuresTo('detector', 'KinesisBatchInfo'),
    functionName: 'firstseen-detector',
    ...(options.detector?.settings ? { settings: options.detector.settings } : {}),
    pollIntervalMs: options.detector?.pollIntervalMs ?? 100,
    logger: detectorLogger,
  });

  const notifyLogger = createLogger({ name: 'alert-dispatcher', level: logLevel });
  const deliverDeps = createDeliverDeps({
    config: options.config,
    secrets: options.secrets,
    store: new DynamoDeliveryStateStore(DynamoDBDocumentClient.from(clients.dynamodb), res.alertsTable),
    slackThreads: new DynamoSlackThreadStore(DynamoDBDocumentClient.from(clients.dynamodb), res.alertsTable),
    // Names and OU paths from the account directory in the baseline table, as the dispatcher reads them in AWS.
    accounts: new AccountDirectoryReader(new DynamoAccountDirectory(clients.dynamodb, res.baselineTable), {
      onError: (err) => notifyLogger.warn({ err }, 'account directory unreadable; alerts name account ids'),
    }),
    logger: notifyLogger,
    ...(options.dispatcher?.slackApiBaseUrl && { slackApiBaseUrl: options.dispatcher.slackApiBaseUrl }),
    ...(options.dispatcher?.pagerDutyEventsUrl && {
      pagerDutyEventsUrl: options.dispatcher.pagerDutyEventsUrl,
    }),
  });
  const channels = new Map(deliverDeps.channels);
  for (const [name, channel] of options.dispatcher?.channels ?? []) channels.set(name, channel);
  const dispatcherDeps = { ...deliverDeps, channels };
  const streamPoller = new DynamoDbStreamPoller({
    client: clients.dynamodbStreams,
    streamArn: res.alertsStreamArn,
    handler: (event) => dispatchAlerts(event, dispatcherDeps),
    ...failuresTo('alert-dispatcher', 'DDBStreamBatchInfo'),
    functionName: 'firstseen-alert-dispatcher',
    ...(options.dispatcher?.settings ? { settings: options.dispatcher.settings } : {}),
    pollIntervalMs: options.dispatcher?.pollIntervalMs ?? 100,
    logger: notifyLogger,
  });

  // Another function in AWS: its own detector instance (own engine cache) on the same tables.
  const trailPoller =
    options.trail === undefined
      ? undefined
      : (() => {
          const reader = createTrailReader(
            { ...environment, functionName: 'firstseen-trail-reader' },
            clientOptions,
          );
          return new QueuePoller({
            queue: options.trail.queue,
            handler: (event) => processTrailBatch(event, reader.deps),
            batchSize: options.trail.batchSize ?? 10,
            onError: (err) =>
              detectorLogger.error({ err }, 'trail-reader invocation failed: batch will be retried'),
          });
        })();

  await kinesisPoller.start();
  try {
    await streamPoller.start();
  } catch (err) {
    await kinesisPoller.stop();
    throw err;
  }
  trailPoller?.start();
  let stopped: Promise<void> | undefined;
  return {
    detector,
    kinesisCheckpoints,
    stop: () => {
      stopped ??= Promise.all([kinesisPoller.stop(), streamPoller.stop(), trailPoller?.stop()]).then(
        () => undefined,
      );
      return stopped;
    },
  };
}
