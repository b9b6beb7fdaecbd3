import { createNotifyLogger, lazyNotifyRuntime, type RedriveReport, redriveAlerts } from '@firstseen/notify';
import type { Context } from 'aws-lambda';

/**
 * Lambda entry for the scheduled redrive: re-sends every alert whose delivery is incomplete,
 * idempotently (the same code as `npm run redrive`). Alerts younger than 15 minutes are left
 * to the stream path.
 */
const logger = createNotifyLogger({ name: 'redrive', level: process.env['FIRSTSEEN_LOG_LEVEL'] });
const getRuntime = lazyNotifyRuntime(process.env, logger);

export const handler = async (
  _event: unknown,
  context: Context,
): Promise<Omit<RedriveReport, 'delivered'> & { delivered: number }> => {
  const deps = await getRuntime();
  const report = await redriveAlerts({ ...deps, remainingTimeMs: () => context.getRemainingTimeInMillis() });
  return { ...report, delivered: report.delivered.length };
};
