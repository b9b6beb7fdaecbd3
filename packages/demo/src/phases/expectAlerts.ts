import {
  type Alert,
  type Config,
  type DetectionEngine,
  decodeOptionsFromConfig,
  decodeRecord,
  describeNoAlert,
  ignoredReason,
  type NoAlertReason,
} from '@firstseen/core';
import { type CloudTrailRecord, generateEvents } from '@firstseen/generator';
import type { DemoContext } from '../context';
import type { QuietEvents } from '../types';
import type { Traffic } from './planTraffic';

export interface LivePeriod {
  records: CloudTrailRecord[];
  /** The reference: the in-memory engine's alerts on the same events, by alertId. */
  expected: Map<string, Alert>;
  /**
   * Why the reference raised no alert for an injected event (burn-in until when, a suppression,
   * an ignore rule, already known), by eventID: the summary prints it for each one that missed.
   */
  whyNot: Map<string, NoAlertReason>;
  /** `--why`: events whose levels fired without an alert in the reference engine. */
  quiet?: QuietEvents;
}

/** Quiet events listed in full (the rest are counted). */
const QUIET_SHOWN = 20;

/**
 * The live period's events, and the alerts the in-memory engine raises on them when it continues
 * from the seeded baseline: what the pipeline must deliver.
 */
export async function expectAlerts(
  ctx: DemoContext,
  config: Config,
  traffic: Traffic,
  engine: DetectionEngine,
): Promise<LivePeriod> {
  const records = [
    ...generateEvents(traffic.org, {
      start: traffic.period.liveStart,
      end: traffic.period.end,
      eventsPerDay: ctx.options.liveEventsPerDay ?? 8000,
      anomalies: traffic.plan,
    }),
  ];
  const expected = new Map<string, Alert>();
  const whyNot = new Map<string, NoAlertReason>();
  const injected = new Set(traffic.plan.truth.flatMap((t) => t.events.map((e) => e.eventId)));
  const quiet: QuietEvents | undefined = ctx.options.why ? { total: 0, byReason: {}, first: [] } : undefined;
  const decodeOptions = decodeOptionsFromConfig(config);
  for (const r of records) {
    for (const d of decodeRecord(JSON.stringify(r), decodeOptions)) {
      if (d.outcome === 'ignored' && d.eventId !== undefined && injected.has(d.eventId)) {
        whyNot.set(d.eventId, ignoredReason(d));
      }
      if (d.outcome !== 'observed') continue;
      const detection = await engine.detect(d.event, 'live');
      if (detection.alert && !expected.has(detection.alert.alertId)) {
        expected.set(detection.alert.alertId, detection.alert);
      } else if (detection.why && injected.has(d.event.eventId) && !whyNot.has(d.event.eventId)) {
        whyNot.set(d.event.eventId, detection.why);
      }
      if (quiet && !detection.alert && detection.why && detection.fired.length > 0) {
        quiet.total++;
        quiet.byReason[detection.why.code] = (quiet.byReason[detection.why.code] ?? 0) + 1;
        if (quiet.first.length < QUIET_SHOWN) {
          quiet.first.push({
            eventId: d.event.eventId,
            principal: d.event.principal,
            action: d.event.action,
            levels: detection.fired,
            why: describeNoAlert(detection.why),
          });
        }
      }
    }
  }
  return quiet ? { records, expected, whyNot, quiet } : { records, expected, whyNot };
}
