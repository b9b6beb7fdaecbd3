import { type Config, type Decoded, type Detection, LEVELS, type Level } from '@firstseen/core';
import { type AlertTally, addAlert, emptyTally } from '@firstseen/report';
import type { BadObjectReason } from './errors';

export type ReplayMode = 'simulate' | 'seed' | 'reconcile' | 'stream';

export interface BadObject {
  key: string;
  reason: BadObjectReason;
  detail: string;
}

/**
 * Alerts of one UTC day (by eventTime): the total and per level (an alert counts at each level it
 * has). A checkpoint written before a level existed (the opt-in `resource`) has no count for it.
 */
export type DayTally = { total: number } & Record<Level, number>;

/** Zero alerts at every level (core's LEVELS). */
export function zeroByLevel(): Record<Level, number> {
  return Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
}

/** An empty day. */
export function emptyDayTally(): DayTally {
  return { total: 0, ...zeroByLevel() };
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
  /** The report's counts of the alerts (packages/report): absent until the first alert. */
  tally?: AlertTally;
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
    alertsByLevel: zeroByLevel(),
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

// Between these times toISOString is `YYYY-MM-DDTHH:mm:ss.sssZ`, so its strings order as the times do.
const ISO_MIN = Date.parse('0000-01-01T00:00:00.000Z');
const ISO_MAX = Date.parse('9999-12-31T23:59:59.999Z');

/** Epoch ms of a summary time string when it is exactly toISOString's output in that range, else NaN. */
function isoMs(iso: string | undefined): number {
  if (iso === undefined) return Number.NaN;
  const ms = Date.parse(iso);
  return ms >= ISO_MIN && ms <= ISO_MAX && new Date(ms).toISOString() === iso ? ms : Number.NaN;
}

/**
 * A summary's `firstEventTime` and `lastEventTime` kept as numbers during a run, so that an
 * observed event costs two comparisons instead of a toISOString; `write()` puts the strings back
 * (before the summary is saved or returned). The strings are those `countOutcome` would give.
 */
export class EventTimeBounds {
  private firstMs = Number.NaN;
  private lastMs = Number.NaN;
  private dirty = false;

  constructor(private readonly summary: ReplaySummary) {
    this.read();
  }

  /** Counts one observed event's time (after `summary.observed++`). */
  add(time: number): void {
    const s = this.summary;
    const fast =
      time >= ISO_MIN &&
      time <= ISO_MAX &&
      (s.firstEventTime === undefined || !Number.isNaN(this.firstMs)) &&
      (s.lastEventTime === undefined || !Number.isNaN(this.lastMs));
    if (fast) {
      if (Number.isNaN(this.firstMs) || time < this.firstMs) {
        this.firstMs = time;
        this.dirty = true;
      }
      if (Number.isNaN(this.lastMs) || time > this.lastMs) {
        this.lastMs = time;
        this.dirty = true;
      }
      return;
    }
    this.write();
    const iso = new Date(time).toISOString();
    if (s.firstEventTime === undefined || iso < s.firstEventTime) s.firstEventTime = iso;
    if (s.lastEventTime === undefined || iso > s.lastEventTime) s.lastEventTime = iso;
    this.read();
  }

  /** Puts the current bounds into the summary's strings. */
  write(): void {
    if (!this.dirty) return;
    this.summary.firstEventTime = new Date(this.firstMs).toISOString();
    this.summary.lastEventTime = new Date(this.lastMs).toISOString();
    this.dirty = false;
  }

  private read(): void {
    this.firstMs = isoMs(this.summary.firstEventTime);
    this.lastMs = isoMs(this.summary.lastEventTime);
  }
}

/** How an alert joins the report's tally: the routing in use, and the injected attacks' eventIDs. */
export interface TallyOptions {
  routing: Config['routing'];
  injected?: ReadonlySet<string>;
}

/** Counts what the engine decided for one observed event. */
export function countDetection(
  summary: ReplaySummary,
  principal: string,
  time: number,
  d: Detection,
  report?: TallyOptions,
): void {
  let claims = d.firstSuccessAfterFailure ? -1 : 0;
  for (const l of d.fired) if (l !== 'window') claims++;
  if (claims > 0) bump(summary.newKeysByPrincipal, principal, claims);
  if (d.suppressed === 'burn-in') summary.suppressedByBurnIn++;
  if (d.suppressed === 'suppression') summary.suppressedByTriage = (summary.suppressedByTriage ?? 0) + 1;
  const alert = d.alert;
  if (alert === undefined) return;
  summary.alerts++;
  bump(summary.alertsBySeverity, alert.severity);
  if (report) {
    summary.tally ??= emptyTally();
    addAlert(summary.tally, alert, {
      routing: report.routing,
      injected: report.injected?.has(alert.eventId) === true,
    });
  }
  const day = new Date(time).toISOString().slice(0, 10);
  let tally = summary.alertsByDay[day];
  if (tally === undefined) {
    tally = emptyDayTally();
    summary.alertsByDay[day] = tally;
  }
  tally.total++;
  for (const level of alert.levels) {
    // `?? 0`: a checkpoint from before the resource level has no count for it.
    summary.alertsByLevel[level] = (summary.alertsByLevel[level] ?? 0) + 1;
    tally[level] = (tally[level] ?? 0) + 1;
  }
}

/** The summary for humans: the JSON minus the per-principal table (top 10 kept). */
export function printableSummary(summary: ReplaySummary): Record<string, unknown> {
  const { newKeysByPrincipal, alertsByDay, tally: _tally, ...rest } = summary;
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
