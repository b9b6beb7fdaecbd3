import type { Config } from '@firstseen/core';
import { matchesAnyGlob, matchesGlob } from '@firstseen/core';
import type { AlertRecord } from './types';

type Routing = Config['routing'];
type Rule = Routing['rules'][number];

/** Whether any `key=value-glob` condition holds for the tags (the key is literal, split at the first `=`). */
function hasAnyTag(
  tags: Readonly<Record<string, string>> | undefined,
  conditions: readonly string[],
): boolean {
  if (!tags) return false;
  for (const c of conditions) {
    const at = c.indexOf('=');
    const key = c.slice(0, at);
    if (Object.hasOwn(tags, key) && matchesGlob(tags[key]!, c.slice(at + 1))) return true;
  }
  return false;
}

/**
 * Whether the rule's conditions on where the alert happened hold: `accounts` by id (always
 * known) or by name, `ous` over the OU path, `accountTags`. `undecided` when the rule did not
 * match only because the account is not in the account directory.
 */
function matchesWhere(alert: AlertRecord, rule: Rule): 'match' | 'no' | 'undecided' {
  const info = alert.accountInfo;
  let undecided = false;
  if (rule.accounts && !matchesAnyGlob(alert.account, rule.accounts)) {
    if (!info) undecided = true;
    else if (!matchesAnyGlob(info.name, rule.accounts)) return 'no';
  }
  if (rule.ous) {
    if (!info) undecided = true;
    else if (!matchesAnyGlob(info.ouPath, rule.ous)) return 'no';
  }
  if (rule.accountTags) {
    if (!info) undecided = true;
    else if (!hasAnyTag(info.tags, rule.accountTags)) return 'no';
  }
  return undecided ? 'undecided' : 'match';
}

/**
 * Where an alert goes when the directory cannot decide: `routing.defaultDestinations`, else the
 * Slack and console destinations the rules use, else every destination they use.
 */
export function defaultRoute(routing: Routing): string[] {
  if (routing.defaultDestinations) return routing.defaultDestinations.filter((d) => routing.destinations[d]);
  const used = [...new Set(routing.rules.flatMap((r) => r.destinations))].filter(
    (d) => routing.destinations[d] !== undefined,
  );
  const quiet = used.filter((d) => routing.destinations[d]!.type !== 'pagerduty');
  return quiet.length > 0 ? quiet : used;
}

/**
 * The destinations an alert goes to: every matching rule adds its destinations (defaults:
 * every alert to `slack`, severity high to `pagerduty`). A rule's conditions all must hold;
 * an absent condition matches anything. Order follows the rules, without duplicates.
 * Conditions on account names, OUs and tags read `alert.accountInfo` (the account directory):
 * for an account the directory does not know they do not match (an id in `accounts` still
 * does), and an alert that then matches no rule goes to the default route (`defaultRoute`),
 * never nowhere.
 */
export function routeAlert(alert: AlertRecord, routing: Routing): string[] {
  const out: string[] = [];
  let undecided = false;
  for (const rule of routing.rules) {
    if (rule.levels && !rule.levels.some((l) => alert.levels.includes(l))) continue;
    if (rule.severities && !rule.severities.includes(alert.severity)) continue;
    if (rule.principals && !matchesAnyGlob(alert.principal, rule.principals)) continue;
    if (rule.actions && !matchesAnyGlob(alert.action, rule.actions)) continue;
    const where = matchesWhere(alert, rule);
    if (where === 'undecided') undecided = true;
    if (where !== 'match') continue;
    for (const d of rule.destinations) {
      if (!out.includes(d) && routing.destinations[d] !== undefined) out.push(d);
    }
  }
  return out.length === 0 && undecided ? defaultRoute(routing) : out;
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
