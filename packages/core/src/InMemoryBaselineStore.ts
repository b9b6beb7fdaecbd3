import type { BaselineStore, CasResult, ClaimRequest, ClaimResult } from './BaselineStore';
import { mergeSeedState } from './seedMerge';
import type { KeyState, LevelKey } from './types';

interface StoredKey extends KeyState {
  expiresAt: number;
}

/**
 * A BaselineStore in process memory with exactly the DynamoDB store's conditional semantics.
 * Each method reads and writes without awaiting in between, so each is atomic, just as a
 * conditional write is in DynamoDB. Used by replay's simulate mode and by tests.
 */
export class InMemoryBaselineStore implements BaselineStore {
  private readonly keys = new Map<string, StoredKey>();
  private readonly sightings = new Map<string, number>();
  /** Number of write operations attempted (conditional failures included). */
  writes = 0;

  async claim(req: ClaimRequest): Promise<ClaimResult> {
    this.writes++;
    const existing = this.keys.get(req.key.pk);
    if (existing === undefined || existing.expiresAt < req.time) {
      const state: StoredKey = {
        lastSeen: req.time,
        firstEventId: req.eventId,
        succeeded: !req.failed,
        source: req.source,
        firstTime: req.time,
        expiresAt: req.time + req.retentionMs,
      };
      if (!req.failed) {
        state.firstSuccessEventId = req.eventId;
        state.firstSuccessTime = req.time;
      }
      this.keys.set(req.key.pk, state);
      return { claimed: true, state: strip(state) };
    }
    return { claimed: false, state: strip(existing) };
  }

  async markSucceeded(
    key: LevelKey,
    eventId: string,
    time: number,
    _retentionMs: number,
  ): Promise<CasResult> {
    this.writes++;
    const existing = this.keys.get(key.pk);
    if (existing === undefined || existing.succeeded) {
      return { applied: false, state: existing && strip(existing) };
    }
    existing.succeeded = true;
    existing.firstSuccessEventId = eventId;
    existing.firstSuccessTime = time;
    return { applied: true, state: strip(existing) };
  }

  async windowReturn(
    key: LevelKey,
    expectedLastSeen: number,
    eventId: string,
    time: number,
    retentionMs: number,
  ): Promise<CasResult> {
    this.writes++;
    const existing = this.keys.get(key.pk);
    if (existing === undefined || existing.lastSeen !== expectedLastSeen) {
      return { applied: false, state: existing && strip(existing) };
    }
    existing.lastSeen = time;
    existing.windowEventId = eventId;
    existing.windowPreviousSeen = expectedLastSeen;
    existing.expiresAt = time + retentionMs;
    return { applied: true, state: strip(existing) };
  }

  async refresh(key: LevelKey, time: number, retentionMs: number, intervalMs: number): Promise<CasResult> {
    this.writes++;
    const existing = this.keys.get(key.pk);
    if (existing === undefined || !(existing.lastSeen < time && time - existing.lastSeen >= intervalMs)) {
      return { applied: false, state: existing && strip(existing) };
    }
    existing.lastSeen = time;
    existing.expiresAt = time + retentionMs;
    return { applied: true, state: strip(existing) };
  }

  async recordSighting(principal: string, time: number): Promise<number> {
    this.writes++;
    const existing = this.sightings.get(principal);
    if (existing === undefined || time < existing) {
      this.sightings.set(principal, time);
      return time;
    }
    return existing;
  }

  /** docs/semantics.md "Sharded seed": put when absent or expired, else `mergeSeedState`. */
  async seedKey(key: LevelKey, state: KeyState, retentionMs: number): Promise<void> {
    this.writes++;
    const existing = this.keys.get(key.pk);
    if (existing === undefined || existing.expiresAt < state.lastSeen) {
      this.keys.set(key.pk, { ...state, source: 'seed', expiresAt: state.lastSeen + retentionMs });
      return;
    }
    const merged = mergeSeedState(strip(existing), state);
    this.keys.set(key.pk, { ...merged, expiresAt: merged.lastSeen + retentionMs });
  }

  async getKey(key: LevelKey, now?: number): Promise<KeyState | undefined> {
    const existing = this.keys.get(key.pk);
    if (existing === undefined || (now !== undefined && existing.expiresAt < now)) return undefined;
    return strip(existing);
  }

  /** Number of stored level keys (expired ones included until overwritten). */
  get size(): number {
    return this.keys.size;
  }

  /** Every stored key with its state (replay's seed mode writes these). */
  *entries(): IterableIterator<[string, KeyState]> {
    for (const [pk, s] of this.keys) yield [pk, strip(s)];
  }

  /** Every principal's first sighting. */
  *sightingEntries(): IterableIterator<[string, number]> {
    yield* this.sightings;
  }
}

function strip(s: StoredKey): KeyState {
  const { expiresAt: _expiresAt, ...state } = s;
  return { ...state };
}
