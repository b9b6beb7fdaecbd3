import {
  type InMemoryBaselineStore,
  type KeyState,
  type LevelKey,
  levelOfPk,
  type SeedBaselineStore,
} from '@firstseen/core';

/** The in-memory baseline as plain data: what a checkpoint holds. */
export interface BaselineSnapshot {
  keys: [string, KeyState][];
  sightings: [string, number][];
}

export function snapshotBaseline(store: InMemoryBaselineStore): BaselineSnapshot {
  return { keys: [...store.entries()], sightings: [...store.sightingEntries()] };
}

/** The level key of a baseline partition key (core's levelOfPk); throws for any other key. */
export function levelKeyOf(pk: string): LevelKey {
  const level = levelOfPk(pk);
  if (level === undefined) throw new TypeError(`not a level key: ${pk.slice(0, 40)}`);
  return { level, pk };
}

/**
 * Rebuilds a snapshot in an EMPTY store through the store's own transitions (claim at the first
 * sighting's time, refresh, first success, window return, sighting), so the result is exactly the state that was saved,
 * source and window fields included, without reaching into the store's internals. Every
 * stored key's expiry is lastSeen + retention, which these transitions reproduce.
 */
export async function restoreBaseline(
  store: InMemoryBaselineStore,
  snapshot: BaselineSnapshot,
  retentionMs: number,
): Promise<void> {
  for (const [pk, s] of snapshot.keys) {
    const key = levelKeyOf(pk);
    const windowed = s.windowEventId !== undefined && s.windowPreviousSeen !== undefined;
    const seenBeforeWindow = windowed ? (s.windowPreviousSeen as number) : s.lastSeen;
    const claimTime = s.firstTime ?? seenBeforeWindow;
    const succeededAtClaim = s.succeeded && (s.firstSuccessEventId ?? s.firstEventId) === s.firstEventId;
    await store.claim({
      key,
      eventId: s.firstEventId,
      time: claimTime,
      failed: !succeededAtClaim,
      source: s.source,
      retentionMs,
    });
    if (seenBeforeWindow > claimTime) await store.refresh(key, seenBeforeWindow, retentionMs, 0);
    if (s.succeeded && !succeededAtClaim && s.firstSuccessEventId !== undefined) {
      await store.markSucceeded(key, s.firstSuccessEventId, s.firstSuccessTime ?? s.lastSeen, retentionMs);
    }
    if (windowed) {
      await store.windowReturn(key, seenBeforeWindow, s.windowEventId as string, s.lastSeen, retentionMs);
    }
  }
  for (const [principal, time] of snapshot.sightings) await store.recordSighting(principal, time);
}

/**
 * Rebuilds a seed's snapshot in an EMPTY SeedBaselineStore: each key is put as saved (seedKey
 * on an absent key), each first sighting recorded.
 */
export async function restoreSeedBaseline(
  store: SeedBaselineStore,
  snapshot: BaselineSnapshot,
  retentionMs: number,
): Promise<void> {
  for (const [pk, s] of snapshot.keys) await store.seedKey(levelKeyOf(pk), s, retentionMs);
  for (const [principal, time] of snapshot.sightings) await store.recordSighting(principal, time);
}
