import { createOrganization, generateEvents, planAnomalies } from '@firstseen/generator';

const STREAM_START = Date.parse('2024-06-03T00:00:00Z');
const DAY_MS = 86_400_000;

/**
 * The events a seed streams: `hours` of a generated organization's CloudTrail activity from a
 * fixed date (so a seed streams the same events on any day), with injected anomalies.
 */
export function chaosEvents(seed: number, hours: number, eventsPerDay: number): Record<string, unknown>[] {
  const org = createOrganization({ seed });
  const end = STREAM_START + Math.round(hours * 3_600_000);
  const plan = planAnomalies(org, { start: STREAM_START - 120 * DAY_MS, liveStart: STREAM_START, end });
  return [
    ...generateEvents(org, {
      start: STREAM_START,
      end,
      eventsPerDay,
      anomalies: plan,
    }),
  ] as unknown as Record<string, unknown>[];
}
