import type { KeyState } from './types';

/**
 * docs/semantics.md "Sharded seed": the state a seed leaves when `seeded` (one shard's view of
 * a key) meets `existing` (the stored, unexpired key). The merge is commutative, associative
 * and idempotent over seed states, so shards seeded in any order, concurrently, retried or
 * overlapping leave what one sequential seed leaves:
 *
 * - lastSeen: the latest;
 * - succeeded: whether any sighting succeeded;
 * - firstEventId: the earliest sighting by (firstTime, eventId);
 * - firstSuccessEventId: the earliest successful sighting by (firstSuccessTime, eventId).
 *
 * A key claimed by `live` or `reconcile` keeps its claim (firstEventId and source): the seed
 * only moves its lastSeen forward and sets succeeded (its firstSuccessEventId, too, is the
 * earliest successful sighting, so that the result does not depend on the shards' order). A sighting whose
 * time is unknown (a state written before times were stored) sorts after every known one, so
 * the stored order is stable. Window fields are never touched.
 */
export function mergeSeedState(existing: KeyState, seeded: KeyState): KeyState {
  const merged: KeyState = { ...existing, lastSeen: Math.max(existing.lastSeen, seeded.lastSeen) };
  if (
    existing.source === 'seed' &&
    before(seeded.firstTime, seeded.firstEventId, existing.firstTime, existing.firstEventId)
  ) {
    merged.firstEventId = seeded.firstEventId;
    setOptional(merged, 'firstTime', seeded.firstTime);
  }
  if (
    seeded.succeeded &&
    (!existing.succeeded ||
      existing.firstSuccessEventId === undefined ||
      (seeded.firstSuccessEventId !== undefined &&
        before(
          seeded.firstSuccessTime,
          seeded.firstSuccessEventId,
          existing.firstSuccessTime,
          existing.firstSuccessEventId,
        )))
  ) {
    merged.succeeded = true;
    setOptional(merged, 'firstSuccessEventId', seeded.firstSuccessEventId);
    setOptional(merged, 'firstSuccessTime', seeded.firstSuccessTime);
  }
  return merged;
}

/** True when the two states differ in anything a seed writes. */
export function seedStateChanged(a: KeyState, b: KeyState): boolean {
  return (
    a.lastSeen !== b.lastSeen ||
    a.firstEventId !== b.firstEventId ||
    a.firstTime !== b.firstTime ||
    a.succeeded !== b.succeeded ||
    a.firstSuccessEventId !== b.firstSuccessEventId ||
    a.firstSuccessTime !== b.firstSuccessTime
  );
}

/** (t1, id1) < (t2, id2), an unknown time sorting last. */
function before(t1: number | undefined, id1: string, t2: number | undefined, id2: string): boolean {
  const a = t1 ?? Number.POSITIVE_INFINITY;
  const b = t2 ?? Number.POSITIVE_INFINITY;
  return a !== b ? a < b : id1 < id2;
}

function setOptional<K extends 'firstTime' | 'firstSuccessTime' | 'firstSuccessEventId'>(
  state: KeyState,
  field: K,
  value: KeyState[K],
): void {
  if (value === undefined) delete state[field];
  else state[field] = value;
}
