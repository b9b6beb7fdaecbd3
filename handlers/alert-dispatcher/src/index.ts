import { createLogger } from '@firstseen/core';
import { dispatchAlerts, lazyNotifyRuntime } from '@firstseen/notify';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Lambda entry for the alerts table's stream (INSERT records; ReportBatchItemFailures on).
 * Config, secrets and clients are built once per cold start, destinations checked first; a
 * failed start is logged in one line and built again on the next invocation, never cached.
 */
const logger = createLogger({ name: 'alert-dispatcher' });
const runtime = lazyNotifyRuntime(process.env, logger);

export const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> =>
  dispatchAlerts(event, { ...(await runtime()), remainingTimeMs: () => context.getRemainingTimeInMillis() });
