import { type AlertTally, emptyTally } from '@firstseen/report';
import { type DayTally, emptySummary, type ReplayMode, type ReplaySummary } from '../summary';
import { comparePositions, type FirstSeen, type Position, type WorkerPart } from './protocol';

type CountMap = 'ignoredReasons' | 'invalidReasons' | 'alertsBySeverity' | 'newKeysByPrincipal';

function ordered<T>(
  parts: WorkerPart[],
  pick: (s: ReplaySummary) => Record<string, T>,
  first: (f: FirstSeen) => Record<string, Position>,
  add: (a: T, b: T) => T,
): Record<string, T> {
  const values = new Map<string, T>();
  const at = new Map<string, Position>();
  for (const part of parts) {
    const firsts = first(part.firstSeen);
    for (const [key, v] of Object.entries(pick(part.summary))) {
      const had = values.get(key);
      values.set(key, had === undefined ? v : add(had, v));
      const p = firsts[key];
      const q = at.get(key);
      if (p !== undefined && (q === undefined || comparePositions(p, q) < 0)) at.set(key, p);
    }
  }
  // A sequential run inserts each key when it first occurs: the same order here.
  const keys = [...values.keys()].sort((a, b) => {
    const pa = at.get(a);
    const pb = at.get(b);
    if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
    return comparePositions(pa, pb);
  });
  return Object.fromEntries(keys.map((k) => [k, values.get(k)!]));
}

const sum = (a: number, b: number) => a + b;

type Tally = AlertTally;

/**
 * The report's tallies added up: every alert is counted by one worker (the one owning its
 * principal); each map keeps the order of first occurrence, as one thread inserts its keys.
 */
function mergeTallies(parts: WorkerPart[]): Tally {
  const withTally = parts.filter((p) => p.summary.tally !== undefined);
  const t = emptyTally();
  for (const { summary } of withTally) {
    const p = summary.tally!;
    t.alerts += p.alerts;
    t.injected += p.injected;
    for (const l of Object.keys(p.byLevel) as (keyof Tally['byLevel'])[]) t.byLevel[l] += p.byLevel[l];
  }
  const tallyParts = withTally as (WorkerPart & { summary: { tally: Tally } })[];
  t.days = ordered(
    tallyParts,
    (x) => x.tally!.days,
    (f) => f.tallyDays,
    (a, b) => ({
      alerts: a.alerts + b.alerts,
      bySeverity: {
        low: a.bySeverity.low + b.bySeverity.low,
        medium: a.bySeverity.medium + b.bySeverity.medium,
        high: a.bySeverity.high + b.bySeverity.high,
      },
      pages: a.pages + b.pages,
      injected: a.injected + b.injected,
      injectedPages: a.injectedPages + b.injectedPages,
    }),
  );
  t.byLevelSet = ordered(
    tallyParts,
    (x) => x.tally!.byLevelSet,
    (f) => f.tallyLevelSets,
    sum,
  );
  t.byPrincipal = ordered(
    tallyParts,
    (x) => x.tally!.byPrincipal,
    (f) => f.tallyPrincipals,
    (a, b) => ({
      alerts: a.alerts + b.alerts,
      high: a.high + b.high,
      sensitive: a.sensitive + b.sensitive,
      injected: a.injected + b.injected,
    }),
  );
  t.byPrincipalAction = ordered(
    tallyParts,
    (x) => x.tally!.byPrincipalAction,
    (f) => f.tallyPrincipalActions,
    sum,
  );
  return t;
}

/**
 * The summary a sequential replay of the same objects gives, from the workers' parts: counts
 * add up (each record is counted by the worker that parsed it, each detection by the worker
 * owning the principal), maps keep the order of first occurrence, bad objects the listing's
 * order, and the event time bounds are the extremes.
 */
export function mergeSummaries(mode: ReplayMode, source: string, parts: WorkerPart[]): ReplaySummary {
  const s = emptySummary(mode, source);
  for (const { summary: p } of parts) {
    s.files += p.files;
    s.records += p.records;
    s.observed += p.observed;
    s.ignored += p.ignored;
    s.invalid += p.invalid;
    s.filtered += p.filtered;
    s.alerts += p.alerts;
    s.suppressedByBurnIn += p.suppressedByBurnIn;
    for (const level of Object.keys(s.alertsByLevel) as (keyof typeof s.alertsByLevel)[]) {
      s.alertsByLevel[level] += p.alertsByLevel[level];
    }
  }
  s.badFiles = parts
    .flatMap((p) => p.badFiles)
    .sort((a, b) => a.i - b.i)
    .map((b) => b.bad);
  for (const key of [
    'ignoredReasons',
    'invalidReasons',
    'alertsBySeverity',
    'newKeysByPrincipal',
  ] as CountMap[]) {
    s[key] = ordered(
      parts,
      (x) => x[key],
      (f) => f[key],
      sum,
    );
  }
  s.alertsByDay = ordered<DayTally>(
    parts,
    (x) => x.alertsByDay,
    (f) => f.alertsByDay,
    (a, b) => {
      const t = { ...a };
      for (const k of Object.keys(b) as (keyof DayTally)[]) t[k] = (t[k] ?? 0) + b[k];
      return t;
    },
  );
  // Optional fields in the order a sequential run sets them: seed at start, triage during the
  // events, the time bounds at the end.
  if (mode === 'seed') s.seed = { keysWritten: 0, principalsWritten: 0 };
  const triage = parts.filter((p) => p.summary.suppressedByTriage !== undefined);
  if (triage.length > 0) s.suppressedByTriage = triage.reduce((n, p) => n + p.summary.suppressedByTriage!, 0);
  if (parts.some((p) => p.summary.tally !== undefined)) s.tally = mergeTallies(parts);
  for (const { summary: p } of parts) {
    if (
      p.firstEventTime !== undefined &&
      (s.firstEventTime === undefined || p.firstEventTime < s.firstEventTime)
    )
      s.firstEventTime = p.firstEventTime;
    if (p.lastEventTime !== undefined && (s.lastEventTime === undefined || p.lastEventTime > s.lastEventTime))
      s.lastEventTime = p.lastEventTime;
  }
  return s;
}
