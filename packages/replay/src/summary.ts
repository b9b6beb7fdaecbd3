import type { Decoded, Detection, Level } from '@firstseen/core';
import type { BadObjectReason } from './errors';

export type ReplayMode = 'simulate' | 'seed' | 'reconcile' | 'stream';

export interface BadObject {
  key: string;
  reason: BadObjectReason;
  detail: string;
}

/** Alerts of one UTC day (by eventTime): the total and per level (an alert counts at each level it has). */
export interface DayTally {
  total: number;
  account: number;
  role: number;
  region: number;
  window: number;
}

/** What a replay did; printed as JSON at the end and kept in the checkpoint. */
export interface ReplaySummary {
  mode: ReplayMode;
  source: string;
  /** Objects read and decoded. */
  files: number;
  /** Objects skipped: corrupt gzip, not JSON, unreadable. */
  badFiles: BadObject[];
  /** Records (values) in the files read: observed + ignored + invalid + filtered. */
  records: number;
  observed: number;
  ignored: number;
  invalid: number;
  /** Outside --accounts/--regions/--from/--to. */
  filtered: number;
  ignoredReasons: Record<string, number>;
  invalidReasons: Record<string, number>;
  /** Alerts the policy kept (simulate: would be sent; reconcile: the engine produced). */
  alerts: number;
  alertsByLevel: Record<Level, number>;
  alertsBySeverity: Record<string, number>;
  alertsByDay: Record<string, DayTally>;
  /** Events whose levels fired but burn-in held the alert back. */
  suppressedByBurnIn: number;
  /** Events whose alert a triage suppression stopped (`--suppressions`); absent when none. */
  suppressedByTriage?: number;
  /** Keys claimed (new keys) per principal, burn-in included. */
  newKeysByPrincipal: Record<string, number>;
  firstEventTime?: string;
  lastEventTime?: string;
  seed?: { keysWritten: number; principalsWritten: number };
  reconcile?: { alertsWritten: number; alertsAlreadyPresent: number };
  stream?: { recordsPut: number; putCalls: number; retriedRecords: number; tooLarge: number };
}

export function emptySummary(mode: ReplayMode, source: string): ReplaySummary {
  return {
    mode,
    source,
    files: 0,
    badFiles: [],
    records: 0,
    observed: 0,
    ignored: 0,
    invalid: 0,
    filtered: 0,
    ignoredReasons: {},
    invalidReasons: {},
    alerts: 0,
    alertsByLevel: { account: 0, role: 0, region: 0, window: 0 },
    alertsBySeverity: {},
    alertsByDay: {},
    suppressedByBurnIn: 0,
    newKeysByPrincipal: {},
  };
}

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

/** Counts one classified record (observed, ignored or invalid). */
export function countOutcome(summary: ReplaySummary, decoded: Decoded): void {
  summary.records++;
  if (decoded.outcome === 'observed') {
    summary.observed++;
    // toISOString has a fixed format, so the strings compare as the times do.
    const iso = new Date(decoded.event.time).toISOString();
    if (summary.firstEventTime === undefined || iso < summary.firstEventTime) summary.firstEventTime = iso;
    if (summary.lastEventTime === undefined || iso > summary.lastEventTime) summary.lastEventTime = iso;
  } else if (decoded.outcome === 'ignored') {
    summary.ignored++;
    bump(summary.ignoredReasons, decoded.reason);
  } else {
    summary.invalid++;
    bump(summary.invalidReasons, decoded.reason);
  }
}

/** Counts what the engine decided for one observed event. */
export function countDetection(summary: ReplaySummary, principal: string, time: number, d: Detection): void {
  const claims = d.fired.filter((l) => l !== 'window').length - (d.firstSuccessAfterFailure ? 1 : 0);
  if (claims > 0) bump(summary.newKeysByPrincipal, principal, claims);
  if (d.suppressed === 'burn-in') summary.suppressedByBurnIn++;
  if (d.suppressed === 'suppression') summary.suppressedByTriage = (summary.suppressedByTriage ?? 0) + 1;
  const alert = d.alert;
  if (alert === undefined) return;
  summary.alerts++;
  bump(summary.alertsBySeverity, alert.severity);
  const day = new Date(time).toISOString().slice(0, 10);
  let tally = summary.alertsByDay[day];
  if (tally === undefined) {
    tally = { total: 0, account: 0, role: 0, region: 0, window: 0 };
    summary.alertsByDay[day] = tally;
  }
  tally.total++;
  for (const level of alert.levels) {
    summary.alertsByLevel[level]++;
    tally[level]++;
  }
}

/** The summary for humans: the JSON minus the per-principal table (top 10 kept). */
export function printableSummary(summary: ReplaySummary): Record<string, unknown> {
  const { newKeysByPrincipal, alertsByDay, ...rest } = summary;
  const days = Object.keys(alertsByDay).sort();
  return {
    ...rest,
    alertsByDay: Object.fromEntries(days.map((d) => [d, alertsByDay[d]!.total])),
    topPrincipalsByNewKeys: topPrincipals(summary, 10),
  };
}

export function topPrincipals(summary: ReplaySummary, n: number): { principal: string; newKeys: number }[] {
  return Object.entries(summary.newKeysByPrincipal)
    .sort(([pa, a], [pb, b]) => b - a || (pa < pb ? -1 : 1))
    .slice(0, n)
    .map(([principal, newKeys]) => ({ principal, newKeys }));
}
