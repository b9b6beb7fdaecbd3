import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, DAY_MS } from '@firstseen/core';
import { buildReport, emptyTally, type TuningReport } from '@firstseen/report';
import { SourceAccessError } from './errors';
import type { ReplaySummary } from './summary';

/**
 * The replay's report (packages/report's model, rendered by its one renderer): the alerts the
 * replay kept, days before the first event + burnInDays not counted, the input counts added.
 */
export function replayReport(summary: ReplaySummary, config: Config, generatedAt?: Date): TuningReport {
  const reasons = (r: Record<string, number>) =>
    Object.entries(r)
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const first = summary.firstEventTime?.slice(0, 10);
  const last = summary.lastEventTime?.slice(0, 10);
  const input: { label: string; value: string | number }[] = [
    { label: 'files', value: summary.files },
    { label: 'bad files', value: summary.badFiles.length },
    { label: 'records', value: summary.records },
    { label: 'observed', value: summary.observed },
    { label: 'ignored', value: `${summary.ignored} (${reasons(summary.ignoredReasons)})` },
    { label: 'invalid', value: `${summary.invalid} (${reasons(summary.invalidReasons)})` },
    { label: 'filtered', value: summary.filtered },
    { label: 'alerts', value: summary.alerts },
    { label: 'held back by burn-in', value: summary.suppressedByBurnIn },
  ];
  if (summary.suppressedByTriage !== undefined)
    input.push({ label: 'held back by a suppression', value: summary.suppressedByTriage });
  return buildReport(summary.tally ?? emptyTally(), {
    title: `firstseen replay: ${summary.mode}`,
    source: summary.source,
    config,
    ...(first !== undefined && { from: first }),
    ...(last !== undefined && { to: last }),
    ...(summary.firstEventTime !== undefined && {
      burnInEnd: Date.parse(summary.firstEventTime) + config.burnInDays * DAY_MS,
    }),
    ...(generatedAt !== undefined && { generatedAt }),
    input,
  });
}

/**
 * The eventIDs of injected attacks in a ground-truth.json of `npm run generate` (each anomaly's
 * `eventIds` and `relatedEventIds`). `path` undefined: the source directory's own
 * ground-truth.json when there is one, else none.
 */
export function loadInjected(path: string | undefined, source: string): Set<string> | undefined {
  let file = path;
  if (file === undefined) {
    const beside = join(source, 'ground-truth.json');
    try {
      if (!statSync(source).isDirectory() || !statSync(beside).isFile()) return undefined;
    } catch {
      return undefined;
    }
    file = beside;
  }
  let truth: unknown;
  try {
    truth = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SourceAccessError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const anomalies = (truth as { anomalies?: unknown } | null)?.anomalies;
  if (!Array.isArray(anomalies)) {
    throw new SourceAccessError(
      `${file} is not a ground-truth.json of npm run generate (no anomalies array)`,
    );
  }
  const ids = new Set<string>();
  for (const a of anomalies as Record<string, unknown>[]) {
    for (const list of [a?.eventIds, a?.relatedEventIds]) {
      if (Array.isArray(list)) for (const id of list) if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}
