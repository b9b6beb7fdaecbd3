import type { ObservedEvent } from '@firstseen/core';
import { CountingTable } from './CountingTable';

const HOUR_MS = 3_600_000;

/**
 * A faithful re-implementation of the hourly "new API call per role" job that teams run today:
 * every hour, for every (account, principal) and each distinct (eventSource, eventName) it
 * called in that hour, GetItem; PutItem when the item is absent (a first occurrence, reported
 * with the hour), else UpdateItem to push its TTL forward. Items are keyed exactly like
 * firstseen's account-level key, so both can be compared key by key.
 */
export class HourlyRoleJob {
  readonly table = new CountingTable();
  /** pk -> start of the hour (epoch ms) in which the job found it new. */
  readonly firstOccurrences = new Map<string, number>();
  private readonly hours = new Map<number, Set<string>>();

  constructor(private readonly retentionMs: number) {}

  /** Files the event under its hour (the job reads each hour's CloudTrail after the hour). */
  add(e: ObservedEvent, accountPk: string): void {
    const hour = Math.floor(e.time / HOUR_MS) * HOUR_MS;
    let set = this.hours.get(hour);
    if (set === undefined) {
      set = new Set();
      this.hours.set(hour, set);
    }
    set.add(accountPk);
  }

  /** Runs the job for every hour seen, oldest first. */
  runAll(): void {
    for (const hour of [...this.hours.keys()].sort((a, b) => a - b)) {
      const runAt = hour + HOUR_MS;
      for (const pk of this.hours.get(hour)!) {
        if (this.table.get(pk, runAt) === undefined) {
          this.table.put(pk, runAt + this.retentionMs);
          if (!this.firstOccurrences.has(pk)) this.firstOccurrences.set(pk, hour);
        } else {
          this.table.touch(pk, runAt + this.retentionMs);
        }
      }
      this.hours.delete(hour);
    }
  }
}

/**
 * The naive streaming detector: for every event, one conditional put per stored level (account,
 * role, region; `window` has no key of its own), `attribute_not_exists(pk)`; a put that succeeds
 * is a first occurrence.
 */
export class PerEventDetector {
  readonly table = new CountingTable();
  /** Account-level pks that a put created, with the event time. */
  readonly firstOccurrences = new Map<string, number>();

  constructor(private readonly retentionMs: number) {}

  add(e: ObservedEvent, pks: readonly string[]): void {
    pks.forEach((pk, i) => {
      const created = this.table.putIfAbsent(pk, e.time, e.time + this.retentionMs);
      if (created && i === 0) this.firstOccurrences.set(pk, e.time);
    });
  }
}
