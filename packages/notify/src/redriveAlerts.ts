import { type DeliverDeps, deliverAlerts } from './deliverAlerts';
import { parseEventTime } from './renderPagerDuty';
import { routeAlert } from './routeAlert';
import type { AlertRecord } from './types';

export interface RedriveOptions {
  /**
   * Leave alerts younger than this to the stream path, so redrive and the dispatcher do not
   * send the same alert at the same time (default 15 minutes; 0 in tests and by hand).
   */
  minAgeMs?: number;
  /** Re-send where the last try failed permanently too (default true: redrive runs after a fix). */
  includePermanent?: boolean;
  /** Alerts delivered per deliverAlerts call (default 25). */
  batchSize?: number;
}

export interface RedriveReport {
  scanned: number;
  attempted: number;
  delivered: string[];
  stillIncomplete: string[];
}

function ageMs(alert: AlertRecord, now: number): number {
  const created =
    typeof alert.createdAt === 'number'
      ? alert.createdAt < 1e12
        ? alert.createdAt * 1000
        : alert.createdAt
      : typeof alert.createdAt === 'string'
        ? Date.parse(alert.createdAt)
        : (parseEventTime(alert.eventTime)?.getTime() ?? Number.NaN);
  return Number.isNaN(created) ? Number.POSITIVE_INFINITY : now - created;
}

/**
 * Scans the alerts table for alerts not delivered to every destination they route to and
 * re-sends them through the same delivery code. Idempotent: what a destination already
 * received (`delivery.<destination>.status = delivered`) is never sent again. One alert that
 * cannot be rendered or sent fails on its own (recorded on it) and never ends the run.
 */
export async function redriveAlerts(deps: DeliverDeps, options: RedriveOptions = {}): Promise<RedriveReport> {
  const minAgeMs = options.minAgeMs ?? 15 * 60_000;
  const batchSize = options.batchSize ?? 25;
  const report: RedriveReport = { scanned: 0, attempted: 0, delivered: [], stillIncomplete: [] };
  let batch: AlertRecord[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const alerts = batch;
    batch = [];
    report.attempted += alerts.length;
    try {
      const r = await deliverAlerts(alerts, deps, { includePermanent: options.includePermanent ?? true });
      report.delivered.push(...r.complete);
      report.stillIncomplete.push(...r.incomplete);
    } catch (err) {
      // Delivery state could not be read for this batch: count it and go on with the next.
      deps.logger.error({ err, count: alerts.length }, 'redrive: a batch failed; it stays incomplete');
      report.stillIncomplete.push(...alerts.map((a) => a.alertId));
    }
  };
  for await (const { alert, delivery } of deps.store.scanAlerts()) {
    report.scanned += 1;
    if (alert.source === 'seed') continue;
    const missing = routeAlert(alert, deps.config.routing).some((d) => delivery[d]?.status !== 'delivered');
    if (!missing || ageMs(alert, deps.now()) < minAgeMs) continue;
    batch.push(alert);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  deps.logger.info(
    { scanned: report.scanned, attempted: report.attempted, stillIncomplete: report.stillIncomplete.length },
    'redrive finished',
  );
  return report;
}
