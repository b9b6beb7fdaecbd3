import { type Alert, describeNoAlert, type NoAlertReason } from '@firstseen/core';
import type { GroundTruthEntry } from '@firstseen/generator';
import type { PublishedEvent } from '@firstseen/local-stack';
import type { ConsoleDelivery } from './consoleDestination';
import type { DemoSummary, DestinationResult, QuietEvents, ScenarioResult } from './types';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface SummaryInput {
  truth: GroundTruthEntry[];
  deliveries: ConsoleDelivery[];
  expected: Map<string, Alert>;
  published: PublishedEvent[];
  liveMs: number;
  liveEvents: number;
  seed: DemoSummary['seed'];
  destinations?: DestinationResult[];
  /** Why the in-memory engine raised no alert for an injected event, by eventID. */
  whyNot?: Map<string, NoAlertReason>;
  /** `--why`: live events whose levels fired without an alert. */
  quiet?: QuietEvents;
}

/** Why an injected event was not delivered as expected: the reference engine's reason, else what differs. */
function whyMissed(
  eventId: string,
  expectedLevels: readonly string[],
  got: ConsoleDelivery[],
  input: SummaryInput,
): string {
  const why = input.whyNot?.get(eventId);
  if (why) return describeNoAlert(why);
  if (got.length > 1) return `delivered ${got.length} times`;
  if (got.length === 1)
    return `delivered with levels ${got[0]!.levels.join(', ')}, expected ${expectedLevels.join(', ')}`;
  if (input.expected.has(eventId))
    return 'the in-memory engine alerts, the pipeline delivered nothing (see the differences below)';
  return 'no alert, and no reason recorded';
}

/** Injected vs alerted, other alerts, throughput, latency, and the comparison with the in-memory engine. */
export function summarise(input: SummaryInput): DemoSummary {
  const byId = new Map<string, ConsoleDelivery[]>();
  for (const d of input.deliveries) byId.set(d.alertId, [...(byId.get(d.alertId) ?? []), d]);
  const sameLevels = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((l) => b.includes(l));

  const injectedIds = new Set<string>();
  const scenarios = input.truth.map((t): ScenarioResult => {
    let alerted = 0;
    const missed: ScenarioResult['missed'] = [];
    for (const e of t.events) {
      injectedIds.add(e.eventId);
      const got = byId.get(e.eventId) ?? [];
      if (got.length === 1 && sameLevels(got[0]!.levels, e.expectedLevels)) alerted++;
      else
        missed.push({
          eventId: e.eventId,
          action: e.action,
          why: whyMissed(e.eventId, e.expectedLevels, got, input),
        });
    }
    return {
      scenario: t.scenario,
      label: t.label,
      principal: t.principal,
      injected: t.events.length,
      alerted,
      ok: alerted === t.events.length,
      missed,
    };
  });

  const otherAlerts = [...byId.values()]
    .map((ds) => ds[0]!)
    .filter((d) => !injectedIds.has(d.alertId))
    .map((d) => ({
      alertId: d.alertId,
      principal: d.principal,
      action: d.action,
      levels: d.levels,
      severity: d.severity,
    }));

  const duplicates = [...byId].filter(([, ds]) => ds.length > 1).map(([id]) => id);
  const mismatches: string[] = [];
  for (const [id, alert] of input.expected) {
    const got = byId.get(id);
    if (!got)
      mismatches.push(`${id}: the in-memory engine alerts (${alert.levels.join(',')}), the pipeline did not`);
    else if (!sameLevels(got[0]!.levels, alert.levels))
      mismatches.push(
        `${id}: levels ${got[0]!.levels.join(',')} delivered, ${alert.levels.join(',')} expected`,
      );
  }
  for (const id of byId.keys()) {
    if (!input.expected.has(id)) mismatches.push(`${id}: delivered, but the in-memory engine does not alert`);
  }

  const putAt = new Map(input.published.map((p) => [p.eventId, p.putAt]));
  const latencies = [...byId]
    .map(([id, ds]) => (putAt.has(id) ? ds[0]!.deliveredAt - putAt.get(id)! : undefined))
    .filter((x): x is number => x !== undefined)
    .sort((a, b) => a - b);

  return {
    ...(input.quiet && { quiet: input.quiet }),
    scenarios,
    destinations: input.destinations ?? [],
    otherAlerts,
    liveEvents: input.liveEvents,
    eventsPerSecond: Math.round((input.liveEvents / input.liveMs) * 1000),
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    deliveredAlerts: byId.size,
    duplicates,
    mismatches,
    seed: input.seed,
  };
}

/** A record's string on the terminal: no control characters, bounded (records are attacker-controlled). */
function plain(value: string, max = 120): string {
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Missed events shown per scenario. */
const MISSED_SHOWN = 5;

export function formatSummary(s: DemoSummary, ok: boolean, totalMs: number): string {
  const lines = [
    '',
    '══ Summary of the live period ══',
    '',
    'Injected anomalies (injected -> alerted exactly once with the expected levels):',
  ];
  for (const sc of s.scenarios) {
    lines.push(
      `  ${sc.ok ? 'ok  ' : 'MISS'} ${sc.scenario.padEnd(14)} ${sc.injected} -> ${sc.alerted}   ${sc.principal}: ${sc.label}`,
    );
    // Why nothing alerted: the first few per scenario (the rest counted), one line each.
    for (const m of sc.missed.slice(0, MISSED_SHOWN)) {
      lines.push(`         ${m.action} (${m.eventId}): ${m.why}`);
    }
    if (sc.missed.length > MISSED_SHOWN)
      lines.push(`         ... and ${sc.missed.length - MISSED_SHOWN} more`);
  }
  lines.push(
    '',
    `Other alerts (${s.otherAlerts.length}, not injected: real first sightings in the generated traffic):`,
  );
  for (const a of s.otherAlerts) {
    lines.push(`  [${a.severity}] ${a.principal} ${a.action}  levels: ${a.levels.join(', ')}`);
  }
  if (s.quiet) {
    const reasons = Object.entries(s.quiet.byReason)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(
      '',
      `Levels fired without an alert (--why): ${s.quiet.total}${reasons ? ` (${reasons})` : ''}`,
    );
    for (const q of s.quiet.first) {
      lines.push(`  ${plain(q.principal)} ${plain(q.action)} [${q.levels.join(', ')}]: ${q.why}`);
    }
    if (s.quiet.total > s.quiet.first.length)
      lines.push(`  ... and ${s.quiet.total - s.quiet.first.length} more`);
  }
  lines.push(
    '',
    `Delivered alerts: ${s.deliveredAlerts}; duplicates: ${s.duplicates.length}; differences from the in-memory engine: ${s.mismatches.length}`,
  );
  for (const m of s.mismatches.slice(0, 20)) lines.push(`  ${m}`);
  lines.push('', 'Deliveries per destination (alerts routed -> delivered / failed):');
  for (const d of s.destinations) {
    const failed = d.permanent + d.failed;
    const why = failed > 0 && d.lastError ? `   last error: ${d.lastError}` : '';
    lines.push(
      `  ${d.ok ? 'ok  ' : 'FAIL'} ${d.destination.padEnd(14)} ${d.routed} -> ${d.delivered} delivered, ${failed} failed (${d.permanent} permanently)${why}`,
    );
  }
  const silent = s.destinations.filter((d) => !d.ok).map((d) => d.destination);
  lines.push(
    '',
    `Throughput: ${s.liveEvents} events at ${s.eventsPerSecond} events/s; end-to-end latency (PutRecords -> delivered) p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms`,
    `Baseline: ${s.seed.historyEvents} history events, ${s.seed.keys} keys, seeded in ${(s.seed.ms / 1000).toFixed(1)} s; total ${(totalMs / 1000).toFixed(1)} s`,
    ok
      ? 'Result: every injected anomaly alerted exactly once, and every destination received its alerts.'
      : silent.length > 0
        ? `Result: FAILED: ${silent.map((d) => `"${d}"`).join(', ')} received nothing (see above); fix the destination, then \`npm run redrive\` re-sends what failed.`
        : 'Result: FAILED (see above).',
    '',
  );
  return `${lines.join('\n')}\n`;
}
