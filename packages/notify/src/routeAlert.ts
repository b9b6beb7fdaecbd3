import type { Config } from '@firstseen/core';
import { matchesAnyGlob } from '@firstseen/core';
import type { AlertRecord } from './types';

type Routing = Config['routing'];

/**
 * The destinations an alert goes to: every matching rule adds its destinations (defaults:
 * every alert to `slack`, severity high to `pagerduty`). A rule's conditions all must hold;
 * an absent condition matches anything. Order follows the rules, without duplicates.
 */
export function routeAlert(alert: AlertRecord, routing: Routing): string[] {
  const out: string[] = [];
  for (const rule of routing.rules) {
    if (rule.levels && !rule.levels.some((l) => alert.levels.includes(l))) continue;
    if (rule.severities && !rule.severities.includes(alert.severity)) continue;
    if (rule.principals && !matchesAnyGlob(alert.principal, rule.principals)) continue;
    if (rule.accounts && !matchesAnyGlob(alert.account, rule.accounts)) continue;
    if (rule.actions && !matchesAnyGlob(alert.action, rule.actions)) continue;
    for (const d of rule.destinations) {
      if (!out.includes(d) && routing.destinations[d] !== undefined) out.push(d);
    }
  }
  return out;
}

/** Groups alerts by a key, keeping first-seen order of keys and of alerts within a group. */
export function groupAlerts<T>(alerts: readonly T[], keyOf: (a: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const a of alerts) {
    const k = keyOf(a);
    const g = groups.get(k);
    if (g) g.push(a);
    else groups.set(k, [a]);
  }
  return [...groups.values()];
}
