import type { DemoContext } from '../context';
import { formatSummary, summarise } from '../summary';
import type { DemoSummary } from '../types';
import type { LivePeriod } from './expectAlerts';
import type { Traffic } from './planTraffic';
import type { PublishedLivePeriod } from './publishLiveEvents';
import type { SeededHistory } from './seedHistory';
import type { RunningPipeline } from './startPipeline';
import type { Deliveries } from './waitForDeliveries';

export interface RunResult {
  summary: DemoSummary;
  /**
   * Every scenario alerted exactly once, nothing was delivered twice, the delivered set equals
   * the in-memory engine's, and every configured destination received something.
   */
  ok: boolean;
}

/** The summary of the live period, printed; `ok` is what `npm start -- --once` exits on. */
export function summariseRun(
  ctx: DemoContext,
  run: {
    traffic: Traffic;
    history: SeededHistory;
    running: RunningPipeline;
    live: LivePeriod;
    publishing: PublishedLivePeriod;
    delivered: Deliveries;
  },
): RunResult {
  const { seeded, ms } = run.history;
  const summary = summarise({
    truth: run.traffic.plan.truth,
    deliveries: run.running.deliveries,
    expected: run.live.expected,
    published: run.publishing.published,
    liveMs: run.delivered.liveMs,
    liveEvents: run.live.records.length,
    seed: { historyEvents: seeded.observed, keys: seeded.keys, principals: seeded.principals, ms },
    destinations: run.delivered.destinations,
    whyNot: run.live.whyNot,
    ...(run.live.quiet && { quiet: run.live.quiet }),
  });
  const ok =
    summary.scenarios.every((s) => s.ok) &&
    summary.duplicates.length === 0 &&
    summary.mismatches.length === 0 &&
    summary.destinations.every((d) => d.ok);
  ctx.write(formatSummary(summary, ok, Date.now() - ctx.startedAt));
  return { summary, ok };
}
