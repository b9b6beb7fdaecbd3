import { createLogger, lazyRuntime } from '@firstseen/core';
import { createNotifyRuntime, dispatchAlerts, readNotifyEnvironment } from '@firstseen/notify';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/** Lambda entry for the alerts table's stream (INSERT records; ReportBatchItemFailures on). */
const logger = createLogger({ name: 'alert-dispatcher' });
const runtime = lazyRuntime(() => createNotifyRuntime(readNotifyEnvironment(process.env), logger));

export const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> =>
  dispatchAlerts(event, { ...(await runtime()), remainingTimeMs: () => context.getRemainingTimeInMillis() });
