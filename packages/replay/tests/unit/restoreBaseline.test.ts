import { InMemoryBaselineStore, levelKeys, SeedBaselineStore } from '@firstseen/core';
import { restoreBaseline, restoreSeedBaseline, snapshotBaseline } from '../../src/restoreBaseline';

const DAY = 86_400_000;
const RETENTION = 400 * DAY;

describe('restoreBaseline()', () => {
  it('rebuilds every key state (failed claim, first success, window return, source) and sighting', async () => {
    const store = new InMemoryBaselineStore();
    const [a, r, g] = levelKeys({
      account: '111122223333',
      principal: 'role/x',
      action: 's:A',
      region: 'eu-west-1',
    });
    await store.claim({
      key: a!,
      eventId: 'e1',
      time: 1000,
      failed: true,
      source: 'live',
      retentionMs: RETENTION,
    });
    await store.markSucceeded(a!, 'e2', 2000, RETENTION);
    await store.claim({
      key: r!,
      eventId: 'e3',
      time: 1000,
      failed: false,
      source: 'seed',
      retentionMs: RETENTION,
    });
    await store.windowReturn(r!, 1000, 'e4', 100 * DAY, RETENTION);
    await store.refresh(r!, 102 * DAY, RETENTION, DAY);
    await store.claim({
      key: g!,
      eventId: 'e5',
      time: 5000,
      failed: false,
      source: 'reconcile',
      retentionMs: RETENTION,
    });
    // Refreshed: its first sighting's time (firstTime) is before its lastSeen.
    await store.refresh(g!, 50 * DAY, RETENTION, DAY);
    await store.recordSighting('role/x', 1000);
    await store.recordSighting('role/y', 7000);

    const restored = new InMemoryBaselineStore();
    await restoreBaseline(restored, snapshotBaseline(store), RETENTION);

    expect(snapshotBaseline(restored)).toEqual(snapshotBaseline(store));
    // Expiry follows lastSeen: the window-returned key is live until lastSeen + retention.
    expect(await restored.getKey(r!, 102 * DAY + RETENTION)).toBeDefined();
    expect(await restored.getKey(r!, 102 * DAY + RETENTION + 1)).toBeUndefined();
  });
});

describe('restoreSeedBaseline()', () => {
  it("rebuilds a seed's baseline (first and latest sightings, first success) and sightings", async () => {
    const store = new SeedBaselineStore();
    const [a] = levelKeys({
      account: '111122223333',
      principal: 'role/x',
      action: 's:A',
      region: 'eu-west-1',
    });
    const claim = (eventId: string, time: number, failed: boolean) =>
      store.claim({ key: a!, eventId, time, failed, source: 'seed', retentionMs: RETENTION });
    await claim('e2', 5 * DAY, true);
    await claim('e1', 2 * DAY, true);
    await claim('e3', 9 * DAY, false);
    await store.recordSighting('role/x', 2 * DAY);
    expect(await store.getKey(a!)).toMatchObject({
      lastSeen: 9 * DAY,
      firstEventId: 'e1',
      firstSuccessEventId: 'e3',
    });

    const restored = new SeedBaselineStore();
    await restoreSeedBaseline(restored, snapshotBaseline(store), RETENTION);
    expect(snapshotBaseline(restored)).toEqual(snapshotBaseline(store));
  });
});
