import {
  createNotifyLogger,
  createNotifyRuntime,
  type DeliverDeps,
  dispatchAlerts,
  readNotifyEnvironment,
} from '@firstseen/notify';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Lambda entry for the alerts table's stream (INSERT records; ReportBatchItemFailures on).
 * Config, secrets and clients are built once per cold start; a failed start is retried on the
 * next invocation rather than cached.
 */
const logger = createNotifyLogger({ name: 'alert-dispatcher', level: process.env['FIRSTSEEN_LOG_LEVEL'] });
let runtime: Promise<DeliverDeps> | undefined;

function getRuntime(): Promise<DeliverDeps> {
  runtime ??= createNotifyRuntime(readNotifyEnvironment(process.env), logger).catch((err: unknown) => {
    runtime = undefined;
    throw err;
  });
  return runtime;
}

export const handler = async (
  event: DynamoDBStreamEvent,
  context: Context,
): Promise<DynamoDBBatchResponse> => {
  const deps = await getRuntime();
  return dispatchAlerts(event, { ...deps, remainingTimeMs: () => context.getRemainingTimeInMillis() });
};
