import type { ClaimSource, KeyState, LevelKey } from './types';

/**
 * The conditional transitions of docs/semantics.md's steps 1-5, each a single atomic conditional
 * write. Implementations: `InMemoryBaselineStore` (this package) and the DynamoDB store
 * (`@firstseen/dynamodb-store`); they must behave identically, including under concurrency.
 *
 * Times are epoch milliseconds. `expiresAt` of a key is `lastSeen + retentionMs`, and a key
 * whose expiry is before the event time counts as absent (TTL deletion is lazy).
 */
export interface ClaimRequest {
  key: LevelKey;
  eventId: string;
  time: number;
  failed: boolean;
  source: ClaimSource;
  retentionMs: number;
}

export type ClaimResult =
  /** E claimed the key (it was absent or expired). */
  | { claimed: true; state: KeyState }
  /** The key exists; `state` is the item as it was when the claim's condition failed. */
  | { claimed: false; state: KeyState };

export type CasResult =
  /** The write happened. */
  | { applied: true; state: KeyState }
  /** The condition failed; `state` is the current item (undefined if it vanished). */
  | { applied: false; state: KeyState | undefined };

export interface BaselineStore {
  /** Step 1: put the key if absent or expired (lastSeen + retention < time). */
  claim(req: ClaimRequest): Promise<ClaimResult>;

  /**
   * Step 3: set succeeded = true, firstSuccessEventId = eventId and firstSuccessTime = time,
   * on condition that succeeded is false. Changes nothing else (lastSeen is the window's and refresh's business).
   */
  markSucceeded(key: LevelKey, eventId: string, time: number, retentionMs: number): Promise<CasResult>;

  /**
   * Step 4 (role key only): set lastSeen = time, windowEventId = eventId and
   * windowPreviousSeen = expectedLastSeen, on condition that lastSeen still equals
   * `expectedLastSeen`.
   */
  windowReturn(
    key: LevelKey,
    expectedLastSeen: number,
    eventId: string,
    time: number,
    retentionMs: number,
  ): Promise<CasResult>;

  /**
   * Step 5: set lastSeen = time on condition that time - lastSeen >= intervalMs (the key's
   * refresh interval, always positive, so lastSeen never moves backwards). The interval is part
   * of the condition, not only of the caller's check: a caller deciding from a stale (cached)
   * lastSeen must not refresh a key the store refreshed less than an interval ago, or the stored
   * lastSeen, and so `window`, would differ from the specification's rule.
   */
  refresh(key: LevelKey, time: number, retentionMs: number, intervalMs: number): Promise<CasResult>;

  /**
   * The principal's first sighting: firstSeen = min(stored, time). Returns the first sighting
   * after the write (conditional: only ever moves earlier).
   */
  recordSighting(principal: string, time: number): Promise<number>;

  /**
   * Seed (replay `seed` mode): write one shard's state of a key computed from history. Puts it
   * when absent or expired at `state.lastSeen`; otherwise merges with `mergeSeedState`
   * (docs/semantics.md "Sharded seed"), atomically, so shards may be seeded in any order,
   * concurrently, retried or overlapping. A live or reconcile claim is kept: its lastSeen only
   * moves forward and succeeded is set. `state.firstTime`/`firstSuccessTime` order the merge.
   */
  seedKey(key: LevelKey, state: KeyState, retentionMs: number): Promise<void>;

  /** Reads a key (tests, explanations); undefined when absent or expired at `now`. */
  getKey(key: LevelKey, now?: number): Promise<KeyState | undefined>;
}
