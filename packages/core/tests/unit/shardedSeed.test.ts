import {
  expectedBaseline,
  keyOf,
  principalOf,
  seedInShards,
  shardedSeedCase,
  sightingState,
} from '@firstseen/test-support';
import fc from 'fast-check';
import { InMemoryBaselineStore } from '../../src/InMemoryBaselineStore';

const RETENTION = 400 * 86_400_000;

// docs/semantics.md "Sharded seed": shards in any order, concurrently, retried or overlapping,
// leave exactly the defined baseline, which is also what one sequential seed leaves.
describe('sharded seed (InMemoryBaselineStore)', () => {
  it('random shards in random orders equal the definition and the sequential seed', async () => {
    await fc.assert(
      fc.asyncProperty(shardedSeedCase({ maxSightings: 40, keys: 4 }), async (c) => {
        const expected = expectedBaseline(c);
        const target = new InMemoryBaselineStore();
        const keys = await seedInShards(c, 'm', target, () => new InMemoryBaselineStore(), RETENTION);
        expect(Object.fromEntries(keys)).toEqual(Object.fromEntries(expected.keys));
        for (const [p, t] of expected.principals) {
          expect(await target.recordSighting(principalOf('m', p), Number.MAX_SAFE_INTEGER)).toBe(t);
        }

        // One sequential seed of all sightings (one shard, written once) leaves the same.
        const sequential = new InMemoryBaselineStore();
        const one = await seedInShards(
          { ...c, shards: 1, shardOf: c.sightings.map(() => 0), writeOrder: [0] },
          'm',
          sequential,
          () => new InMemoryBaselineStore(),
          RETENTION,
        );
        expect(one).toEqual(keys);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a live claim: the seed only moves lastSeen forward and sets succeeded', async () => {
    const store = new InMemoryBaselineStore();
    const key = keyOf('m', 0);
    const T = Date.UTC(2026, 0, 10);
    await store.claim({
      key,
      eventId: 'live',
      time: T,
      failed: true,
      source: 'live',
      retentionMs: RETENTION,
    });
    const older = sightingState({ key: 0, principal: 0, time: T - 1000, eventId: 'aaa', failed: false });
    await store.seedKey(key, older, RETENTION);
    expect(await store.getKey(key)).toEqual({
      lastSeen: T,
      firstEventId: 'live',
      firstTime: T,
      succeeded: true,
      firstSuccessEventId: 'aaa',
      firstSuccessTime: T - 1000,
      source: 'live',
    });
  });
});
