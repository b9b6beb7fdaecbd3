import {
  type Alert,
  type Config,
  type DetectionEngine,
  decodeOptionsFromConfig,
  decodeRecord,
} from '@firstseen/core';
import { type CloudTrailRecord, generateEvents } from '@firstseen/generator';
import type { DemoContext } from '../context';
import type { Traffic } from './planTraffic';

export interface LivePeriod {
  records: CloudTrailRecord[];
  /** The reference: the in-memory engine's alerts on the same events, by alertId. */
  expected: Map<string, Alert>;
}

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
  const decodeOptions = decodeOptionsFromConfig(config);
  for (const r of records) {
    for (const d of decodeRecord(JSON.stringify(r), decodeOptions)) {
      if (d.outcome !== 'observed') continue;
      const detection = await engine.detect(d.event, 'live');
      if (detection.alert && !expected.has(detection.alert.alertId)) {
        expected.set(detection.alert.alertId, detection.alert);
      }
    }
  }
  return { records, expected };
}
