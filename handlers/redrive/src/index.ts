import { createLogger } from '@firstseen/core';
import { lazyNotifyRuntime, type RedriveReport, redriveAlerts } from '@firstseen/notify';
import type { Context } from 'aws-lambda';

/**
 * Lambda entry for the scheduled redrive: re-sends every alert whose delivery is incomplete,
 * idempotently (the same code as `npm run redrive`). Alerts younger than 15 minutes are left
 * to the stream path.
 */
const logger = createLogger({ name: 'redrive' });
const runtime = lazyNotifyRuntime(process.env, logger);

export const handler = async (
  _event: unknown,
  context: Context,
): Promise<Omit<RedriveReport, 'delivered'> & { delivered: number }> => {
  const deps = { ...(await runtime()), remainingTimeMs: () => context.getRemainingTimeInMillis() };
  const report = await redriveAlerts(deps);
  return { ...report, delivered: report.delivered.length };
};
