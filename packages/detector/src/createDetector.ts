import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type Config,
  createLogger,
  createSuppressionCheck,
  DetectionEngine,
  stdoutMetricsSink,
} from '@firstseen/core';
import {
  attachRequestCounter,
  DynamoAlertOutbox,
  DynamoBaselineStore,
  DynamoSuppressionStore,
  HeartbeatStore,
  type RequestCounter,
} from '@firstseen/dynamodb-store';
import { DynamoExplainStore, Explainer } from '@firstseen/explain';
import type { Logger } from 'pino';
import type { DetectorEnvironment } from './environment';
import { S3Quarantine } from './S3Quarantine';
import type { DetectorDeps, MetricsSink } from './types';

export interface CreateDetectorOptions {
  /** Default: a DynamoDBClient from the SDK's usual environment (region, credentials, AWS_ENDPOINT_URL_DYNAMODB). */
  dynamodb?: DynamoDBClient;
  /** Default: an S3Client from the environment; path-style when `s3ForcePathStyle`. */
  s3?: S3Client;
  logger?: Logger;
  metrics?: MetricsSink;
  clock?: () => number;
}

export interface Detector {
  deps: DetectorDeps;
  requestCounter: RequestCounter;
  dynamodb: DynamoDBClient;
  s3: S3Client;
}

/**
 * Builds the detector's real collaborators (DynamoDB baseline store, outbox and heartbeats, S3
 * quarantine, pino, EMF on stdout) from its environment. Called once per cold start; the
 * engine's cache lives as long as the returned deps, so warm invocations reuse it.
 */
export function createDetector(
  environment: DetectorEnvironment & { config: Config },
  options: CreateDetectorOptions = {},
): Detector {
  const { config } = environment;
  const dynamodb = options.dynamodb ?? new DynamoDBClient({});
  const s3 = options.s3 ?? new S3Client({ forcePathStyle: environment.s3ForcePathStyle });
  const requestCounter = attachRequestCounter(dynamodb);
  const clock = options.clock ?? Date.now;
  const store = new DynamoBaselineStore({ client: dynamodb, tableName: environment.baselineTable });
  const alerts = new DynamoAlertOutbox({ client: dynamodb, tableName: environment.alertsTable, clock });
  // Explanations (x#, c#, i# items in the baseline table): written on first occurrences only.
  const explainer = new Explainer({
    store: new DynamoExplainStore({ client: dynamodb, tableName: environment.baselineTable }),
  });
  const deps: DetectorDeps = {
    engine: new DetectionEngine({
      store,
      config,
      observer: explainer.observe,
      context: explainer.context,
      // Triage suppressions (s# items), re-read per principal at most once a minute.
      suppressed: createSuppressionCheck({
        store: new DynamoSuppressionStore({ client: dynamodb, tableName: environment.baselineTable }),
        clock,
      }),
    }),
    outbox: { put: (alert) => alerts.put(alert, config.alertRetentionDays) },
    quarantine: new S3Quarantine({ client: s3, bucket: environment.quarantineBucket }),
    heartbeats: new HeartbeatStore({ client: dynamodb, tableName: environment.baselineTable, clock }),
    logger: options.logger ?? createLogger({ name: 'detector', level: environment.logLevel }),
    metrics: options.metrics ?? stdoutMetricsSink,
    config,
    clock,
    functionName: environment.functionName,
    dynamodbRequests: () => requestCounter.count(),
  };
  return { deps, requestCounter, dynamodb, s3 };
}
