import type { BaselineStore, KeyState, LevelKey } from '@firstseen/core';
import fc from 'fast-check';

/**
 * The sharded-seed property of docs/semantics.md "Sharded seed", shared by the in-memory and
 * the DynamoDB store tests: a history of sightings, split into shards, each shard reduced to one
 * state per key (as one seed worker does), the shards then written in any order, concurrently,
 * some twice (a retry or an overlap), must leave what the definition says, which is also what
 * one sequential seed of all sightings leaves.
 */
export interface Sighting {
  key: number;
  principal: number;
  time: number;
  eventId: string;
  failed: boolean;
}

export interface LiveClaim {
  key: number;
  time: number;
  eventId: string;
  failed: boolean;
  source: 'live' | 'reconcile';
}

export interface ShardedSeedCase {
  sightings: Sighting[];
  /** shardOf[i]: the shard of sightings[i]. */
  shardOf: number[];
  shards: number;
  /** The order shards are written in (indices, repeats = retries/overlaps). */
  writeOrder: number[];
  /** Keys claimed by the live detector before the seed. */
  live: LiveClaim[];
}

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** Sightings within 30 days: a seed window inside the retention (see "Sharded seed"). */
export function shardedSeedCase(options: {
  maxSightings: number;
  keys: number;
  /** Start of the window (epoch ms; default 2026-01-01). */
  t0?: number;
}): fc.Arbitrary<ShardedSeedCase> {
  const t0 = options.t0 ?? T0;
  const sighting = fc.record({
    key: fc.nat(options.keys - 1),
    principal: fc.nat(3),
    // Few distinct times, so equal eventTimes (ordered by eventID) are common.
    time: fc.nat(40).map((n) => t0 + Math.floor((n * 30 * DAY) / 40)),
    eventId: fc.stringMatching(/^[a-f0-9]{1,4}$/),
    failed: fc.boolean(),
  });
  return fc
    .record({
      sightings: fc.array(sighting, { minLength: 1, maxLength: options.maxSightings }),
      shards: fc.integer({ min: 1, max: 5 }),
      live: fc.array(
        fc.record({
          key: fc.nat(options.keys - 1),
          time: fc.nat(30).map((d) => t0 + d * DAY),
          eventId: fc.stringMatching(/^live-[a-f0-9]{1,3}$/),
          failed: fc.boolean(),
          source: fc.constantFrom('live' as const, 'reconcile' as const),
        }),
        { maxLength: 3 },
      ),
    })
    .chain(({ sightings, shards, live }) =>
      fc.record({
        sightings: fc.constant(sightings),
        shards: fc.constant(shards),
        live: fc.constant(live),
        shardOf: fc.array(fc.nat(shards - 1), { minLength: sightings.length, maxLength: sightings.length }),
        writeOrder: fc
          .tuple(
            fc.shuffledSubarray([...Array(shards).keys()], { minLength: shards, maxLength: shards }),
            fc.array(fc.nat(shards - 1), { maxLength: 2 }),
          )
          .map(([all, again]) => [...all, ...again]),
      }),
    );
}

export const keyOf = (ns: string, k: number): LevelKey => ({ level: 'role', pk: `r#role/${ns}#svc:Op${k}` });
export const principalOf = (ns: string, p: number): string => `role/${ns}-p${p}`;

/** One sighting as the state a seed computes for it. */
export function sightingState(s: Sighting): KeyState {
  const state: KeyState = {
    lastSeen: s.time,
    firstEventId: s.eventId,
    firstTime: s.time,
    succeeded: !s.failed,
    source: 'seed',
  };
  if (!s.failed) {
    state.firstSuccessEventId = s.eventId;
    state.firstSuccessTime = s.time;
  }
  return state;
}

/** The definition: per key and per principal, from all sightings and live claims at once. */
export function expectedBaseline(c: ShardedSeedCase): {
  keys: Map<number, KeyState>;
  principals: Map<number, number>;
} {
  const keys = new Map<number, KeyState>();
  const earlier = (t1: number, id1: string, t2: number, id2: string) => (t1 !== t2 ? t1 < t2 : id1 < id2);
  const liveOf = new Map<number, LiveClaim>();
  for (const l of c.live) if (!liveOf.has(l.key)) liveOf.set(l.key, l);
  for (const [k, l] of liveOf) {
    const state: KeyState = {
      lastSeen: l.time,
      firstEventId: l.eventId,
      firstTime: l.time,
      succeeded: !l.failed,
      source: l.source,
    };
    if (!l.failed) {
      state.firstSuccessEventId = l.eventId;
      state.firstSuccessTime = l.time;
    }
    keys.set(k, state);
  }
  for (const s of c.sightings) {
    const e = keys.get(s.key);
    if (e === undefined) {
      keys.set(s.key, sightingState(s));
      continue;
    }
    e.lastSeen = Math.max(e.lastSeen, s.time);
    if (!liveOf.has(s.key) && earlier(s.time, s.eventId, e.firstTime as number, e.firstEventId)) {
      e.firstEventId = s.eventId;
      e.firstTime = s.time;
    }
    if (
      !s.failed &&
      (!e.succeeded ||
        earlier(s.time, s.eventId, e.firstSuccessTime as number, e.firstSuccessEventId as string))
    ) {
      e.succeeded = true;
      e.firstSuccessEventId = s.eventId;
      e.firstSuccessTime = s.time;
    }
  }
  const principals = new Map<number, number>();
  for (const s of c.sightings)
    principals.set(s.principal, Math.min(principals.get(s.principal) ?? s.time, s.time));
  return { keys, principals };
}

/**
 * Runs a case against `target`: live claims first, then each shard reduced in its own
 * `shardStore()` (one seed worker) and written with seedKey/recordSighting in `writeOrder`,
 * all shards' writes concurrently. Returns the per-key and per-principal read-back.
 */
export async function seedInShards(
  c: ShardedSeedCase,
  ns: string,
  target: BaselineStore & { getSighting?: (principal: string) => Promise<number | undefined> },
  shardStore: () => BaselineStore & {
    entries(): Iterable<[string, KeyState]>;
    sightingEntries(): Iterable<[string, number]>;
  },
  retentionMs: number,
): Promise<Map<number, KeyState | undefined>> {
  for (const l of c.live) {
    await target.claim({
      key: keyOf(ns, l.key),
      eventId: l.eventId,
      time: l.time,
      failed: l.failed,
      source: l.source,
      retentionMs,
    });
  }
  const reduced = [...Array(c.shards).keys()].map(() => shardStore());
  for (const [i, s] of c.sightings.entries()) {
    const shard = reduced[c.shardOf[i] as number];
    await shard?.seedKey(keyOf(ns, s.key), sightingState(s), retentionMs);
    await shard?.recordSighting(principalOf(ns, s.principal), s.time);
  }
  const byPk = new Map<string, LevelKey>();
  for (const s of c.sightings) byPk.set(keyOf(ns, s.key).pk, keyOf(ns, s.key));
  await Promise.all(
    c.writeOrder.map(async (shardIndex) => {
      const shard = reduced[shardIndex];
      if (shard === undefined) return;
      await Promise.all([
        ...[...shard.entries()].map(([pk, state]) =>
          target.seedKey(byPk.get(pk) as LevelKey, state, retentionMs),
        ),
        ...[...shard.sightingEntries()].map(([p, t]) => target.recordSighting(p, t)),
      ]);
    }),
  );
  const keys = new Map<number, KeyState | undefined>();
  for (const k of new Set([...c.sightings.map((s) => s.key), ...c.live.map((l) => l.key)])) {
    keys.set(k, await target.getKey(keyOf(ns, k)));
  }
  return keys;
}
