import { type Alert, type Config, LEVELS, type Level, type Severity } from '@firstseen/core';
// From its file, not notify's index, which loads the delivery code too (a parallel replay's
// worker threads load every module they import).
import { routeAlert } from '@firstseen/notify/src/routeAlert';

/** What the report needs of an alert (replay's alerts and the alerts table's items both have it). */
export type TalliedAlert = Pick<
  Alert,
  'alertId' | 'eventTime' | 'principal' | 'action' | 'levels' | 'severity' | 'identityType' | 'sensitive'
> &
  Partial<Pick<Alert, 'account' | 'region'>>;

/** Alerts of one UTC day (by eventTime). */
export interface DayCounts {
  alerts: number;
  bySeverity: Record<Severity, number>;
  /** Alerts the routing in use sends to a PagerDuty destination. */
  pages: number;
  /** Of `alerts`, those of injected (simulated) attacks: never part of a projection. */
  injected: number;
  /** Of `pages`, those of injected attacks. */
  injectedPages: number;
}

export interface PrincipalCounts {
  alerts: number;
  high: number;
  sensitive: number;
  injected: number;
}

/**
 * Running counts of alerts, small enough to keep in a replay checkpoint (plain JSON): per day
 * and severity, pages under the routing in use, per level and per set of levels (so the levels
 * add up), per principal and per (principal, action).
 */
export interface AlertTally {
  alerts: number;
  injected: number;
  days: Record<string, DayCounts>;
  /** Alerts counted at each level they fired (an alert with two levels counts at both). */
  byLevel: Record<Level, number>;
  /** Alerts per set of levels, keyed `account+role`: each alert counts once, so these add up. */
  byLevelSet: Record<string, number>;
  byPrincipal: Record<string, PrincipalCounts>;
  /** Keyed `<principal>\u0000<action>`. */
  byPrincipalAction: Record<string, number>;
}

export function emptyTally(): AlertTally {
  return {
    alerts: 0,
    injected: 0,
    days: {},
    byLevel: Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>,
    byLevelSet: {},
    byPrincipal: {},
    byPrincipalAction: {},
  };
}

/** The PagerDuty destinations of a routing: where an alert routed to pages someone. */
export function pagingDestinations(routing: Config['routing']): string[] {
  return Object.entries(routing.destinations)
    .filter(([, d]) => d.type === 'pagerduty')
    .map(([name]) => name);
}

/** True when the routing in use sends the alert to a PagerDuty destination (notify's routeAlert). */
export function pages(alert: TalliedAlert, routing: Config['routing']): boolean {
  const paging = new Set(pagingDestinations(routing));
  if (paging.size === 0) return false;
  const routed = routeAlert({ account: '', region: '', ...alert } as Alert, routing);
  return routed.some((d) => paging.has(d));
}

/** `YYYY-MM-DD` of an eventTime, or undefined for one that is not a time. */
export function dayOf(eventTime: string): string | undefined {
  const t = Date.parse(eventTime);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : undefined;
}

export const LEVEL_SET_SEPARATOR = '+';

/** The keys of the tally's maps an alert is counted under (undefined: not counted, no day). */
export function tallyKeys(
  alert: TalliedAlert,
): { day: string; levelSet: string; principal: string; principalAction: string } | undefined {
  const day = dayOf(alert.eventTime);
  if (day === undefined) return undefined;
  return {
    day,
    levelSet: LEVELS.filter((l) => alert.levels.includes(l)).join(LEVEL_SET_SEPARATOR),
    principal: alert.principal,
    principalAction: `${alert.principal}\u0000${alert.action}`,
  };
}

/**
 * Counts one alert. `injected` marks an alert of a simulated attack (replay's ground truth,
 * `npm start`'s scenarios): counted and shown, never projected.
 */
export function addAlert(
  tally: AlertTally,
  alert: TalliedAlert,
  options: { routing: Config['routing']; injected?: boolean },
): void {
  const keys = tallyKeys(alert);
  if (keys === undefined) return;
  const { day } = keys;
  const injected = options.injected === true;
  const paged = pages(alert, options.routing);
  tally.alerts++;
  if (injected) tally.injected++;
  let d = tally.days[day];
  if (d === undefined) {
    d = { alerts: 0, bySeverity: { low: 0, medium: 0, high: 0 }, pages: 0, injected: 0, injectedPages: 0 };
    tally.days[day] = d;
  }
  d.alerts++;
  d.bySeverity[alert.severity]++;
  if (paged) d.pages++;
  if (injected) {
    d.injected++;
    if (paged) d.injectedPages++;
  }
  const levels = LEVELS.filter((l) => alert.levels.includes(l));
  for (const l of levels) tally.byLevel[l]++;
  const set = keys.levelSet;
  tally.byLevelSet[set] = (tally.byLevelSet[set] ?? 0) + 1;
  let p = tally.byPrincipal[alert.principal];
  if (p === undefined) {
    p = { alerts: 0, high: 0, sensitive: 0, injected: 0 };
    tally.byPrincipal[alert.principal] = p;
  }
  p.alerts++;
  if (alert.severity === 'high') p.high++;
  if (alert.sensitive === true) p.sensitive++;
  if (injected) p.injected++;
  const pa = keys.principalAction;
  tally.byPrincipalAction[pa] = (tally.byPrincipalAction[pa] ?? 0) + 1;
}
