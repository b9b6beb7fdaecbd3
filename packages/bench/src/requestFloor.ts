import type { ObservedEvent } from '@firstseen/core';

const DAY = 86_400_000;

/** The writes docs/semantics.md requires, by kind. */
export interface FloorCounts {
  /** One claim per key that did not exist (or had expired). */
  newKeys: number;
  /** One per refresh: t - lastSeen >= the level's interval (account 30 d, role 1 d, region 30 d). */
  refreshes: number;
  /** One per first success after failed calls (step 3). */
  firstSuccesses: number;
  /** One per window return (step 4, role key, t - lastSeen > windowDays). */
  windowReturns: number;
  /** One per principal: its first sighting (burn-in needs it stored). */
  principals: number;
  total: number;
}

interface Key {
  lastSeen: number;
  succeeded: boolean;
}

/**
 * Counts the fewest writes docs/semantics.md's semantics require for a stream of events, from the
 * events alone: its own key strings and its own reading of steps 1-5, sharing no code with the
 * engine, the stores or levelKeys. A store with a perfect cache could do no better.
 */
export class RequestFloor {
  private readonly keys = new Map<string, Key>();
  private readonly principals = new Set<string>();
  readonly counts: FloorCounts = {
    newKeys: 0,
    refreshes: 0,
    firstSuccesses: 0,
    windowReturns: 0,
    principals: 0,
    total: 0,
  };

  constructor(
    private readonly retentionDays = 400,
    private readonly windowDays = 90,
  ) {}

  add(e: ObservedEvent): void {
    if (!this.principals.has(e.principal)) {
      this.principals.add(e.principal);
      this.counts.principals++;
    }
    const id = [e.principal.length, e.principal, e.action.length, e.action].join('|');
    this.step(`A|${e.account}|${id}`, e, 30, false);
    this.step(`R|${id}`, e, 1, true);
    this.step(`G|${e.region.length}|${e.region}|${id}`, e, 30, false);
    const c = this.counts;
    c.total = c.newKeys + c.refreshes + c.firstSuccesses + c.windowReturns + c.principals;
  }

  private step(k: string, e: ObservedEvent, refreshDays: number, windowed: boolean): void {
    const key = this.keys.get(k);
    if (key === undefined || key.lastSeen + this.retentionDays * DAY < e.time) {
      this.keys.set(k, { lastSeen: e.time, succeeded: !e.failed });
      this.counts.newKeys++;
      return;
    }
    if (!e.failed && !key.succeeded) {
      key.succeeded = true;
      this.counts.firstSuccesses++;
    }
    if (windowed && this.windowDays > 0 && e.time - key.lastSeen > this.windowDays * DAY) {
      key.lastSeen = e.time;
      this.counts.windowReturns++;
      return;
    }
    if (e.time > key.lastSeen && e.time - key.lastSeen >= refreshDays * DAY) {
      key.lastSeen = e.time;
      this.counts.refreshes++;
    }
  }
}
