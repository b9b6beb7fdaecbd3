import { createNotifyLogger, dispatchAlerts, lazyNotifyRuntime } from '@firstseen/notify';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Lambda entry for the alerts table's stream (INSERT records; ReportBatchItemFailures on).
 * Config, secrets and clients are built once per cold start, destinations checked first; a
 * failed start is logged in one line and retried on the next invocation rather than cached.
 */
const logger = createNotifyLogger({ name: 'alert-dispatcher', level: process.env['FIRSTSEEN_LOG_LEVEL'] });
const getRuntime = lazyNotifyRuntime(process.env, logger);

export const handler = async (
  event: DynamoDBStreamEvent,
  context: Context,
): Promise<DynamoDBBatchResponse> => {
  const deps = await getRuntime();
  return dispatchAlerts(event, { ...deps, remainingTimeMs: () => context.getRemainingTimeInMillis() });
};
