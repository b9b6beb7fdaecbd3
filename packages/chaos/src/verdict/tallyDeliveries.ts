import type { Alert, Config } from '@firstseen/core';
import { pagerDutyDedupKey, routeAlert, utcDay } from '@firstseen/notify';

export interface DestinationTally {
  /** Expected alerts routed to this destination. */
  expected: number;
  /** Expected alerts that reached it, alone or listed in a group or storm summary. */
  delivered: number;
  /** Expected alerts routed here that never reached it. */
  lost: string[];
  /** Extra appearances of an alert beyond its first (Slack: messages; PagerDuty: incidents). */
  duplicates: number;
}

export interface DeliveryTally {
  slack: DestinationTally;
  pagerduty: DestinationTally;
  /** Expected alerts missing from at least one of their destinations. */
  lost: string[];
  /** PagerDuty incidents (distinct accepted dedup_keys) beyond one per expected dedup_key. */
  duplicatePages: number;
  /** Accepted trigger events that PagerDuty folded into an open incident (same dedup_key). */
  pagerDutyRepeatTriggers: number;
  /** Slack appearances of an alert beyond its first message. */
  duplicateSlack: number;
  /** Alert ids delivered somewhere that the reference engine does not alert on. */
  unexpected: string[];
}

/** Every inline code span's content in a Slack message (where event data, alert ids included, sits). */
function codeSpans(body: unknown): string[] {
  const texts: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(body);
  return texts.flatMap((t) => [...t.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));
}

/**
 * Compares what the receivers accepted with the reference engine's alerts. An alert counts as
 * delivered to a destination when an accepted message lists it (alone, in a group or in a storm
 * summary). `knownIds` are the ids worth looking for in Slack text (expected ∪ written alerts).
 */
export function tallyDeliveries(input: {
  expected: ReadonlyMap<string, Alert>;
  routing: Config['routing'];
  slackBodies: readonly unknown[];
  pagerDutyBodies: readonly unknown[];
  knownIds: ReadonlySet<string>;
}): DeliveryTally {
  const slackSeen = new Map<string, number>();
  for (const body of input.slackBodies) {
    for (const id of new Set(codeSpans(body).filter((s) => input.knownIds.has(s)))) {
      slackSeen.set(id, (slackSeen.get(id) ?? 0) + 1);
    }
  }
  const pdKeysById = new Map<string, Set<string>>();
  const acceptedKeys = new Map<string, number>();
  for (const body of input.pagerDutyBodies) {
    const event = body as { dedup_key?: unknown; payload?: { custom_details?: { alertIds?: unknown } } };
    const key = typeof event.dedup_key === 'string' ? event.dedup_key : '';
    acceptedKeys.set(key, (acceptedKeys.get(key) ?? 0) + 1);
    const ids = event.payload?.custom_details?.alertIds;
    for (const id of Array.isArray(ids) ? ids : []) {
      if (typeof id !== 'string') continue;
      const keys = pdKeysById.get(id) ?? new Set<string>();
      keys.add(key);
      pdKeysById.set(id, keys);
    }
  }

  const slack: DestinationTally = { expected: 0, delivered: 0, lost: [], duplicates: 0 };
  const pagerduty: DestinationTally = { expected: 0, delivered: 0, lost: [], duplicates: 0 };
  const expectedKeys = new Set<string>();
  const lost = new Set<string>();
  for (const [id, alert] of input.expected) {
    for (const dest of routeAlert(alert, input.routing)) {
      const tally = dest === 'pagerduty' ? pagerduty : dest === 'slack' ? slack : undefined;
      if (!tally) continue;
      tally.expected++;
      const reached = dest === 'slack' ? (slackSeen.get(id) ?? 0) > 0 : pdKeysById.has(id);
      if (dest === 'pagerduty') expectedKeys.add(pagerDutyDedupKey(alert.principal, utcDay(alert, 0)));
      if (reached) tally.delivered++;
      else {
        tally.lost.push(id);
        lost.add(id);
      }
    }
  }
  for (const n of slackSeen.values()) slack.duplicates += Math.max(0, n - 1);
  for (const keys of pdKeysById.values()) pagerduty.duplicates += Math.max(0, keys.size - 1);
  const duplicatePages = [...acceptedKeys.keys()].filter((k) => !expectedKeys.has(k)).length;
  const pagerDutyRepeatTriggers = [...acceptedKeys.values()].reduce((s, n) => s + n - 1, 0);
  const unexpected = [...new Set([...slackSeen.keys(), ...pdKeysById.keys()])].filter(
    (id) => !input.expected.has(id),
  );
  return {
    slack,
    pagerduty,
    lost: [...lost],
    duplicatePages,
    pagerDutyRepeatTriggers,
    duplicateSlack: slack.duplicates,
    unexpected,
  };
}
