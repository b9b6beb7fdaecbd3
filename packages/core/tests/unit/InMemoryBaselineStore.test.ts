import type { ClaimRequest } from '../../src/BaselineStore';
import { InMemoryBaselineStore } from '../../src/InMemoryBaselineStore';
import type { LevelKey } from '../../src/types';

const DAY = 86_400_000;
const T = Date.UTC(2024, 0, 1);
const RETENTION = 400 * DAY;
const key: LevelKey = { level: 'role', pk: 'r#role/deploy#s3.amazonaws.com:GetObject' };

function claimReq(eventId: string, time: number, over: Partial<ClaimRequest> = {}): ClaimRequest {
  return { key, eventId, time, failed: false, source: 'live', retentionMs: RETENTION, ...over };
}

describe('InMemoryBaselineStore.claim()', () => {
  it('claims an absent key with lastSeen, firstEventId, succeeded and source', async () => {
    const store = new InMemoryBaselineStore();
    const r = await store.claim(claimReq('e1', T, { source: 'reconcile' }));
    expect(r.claimed).toBe(true);
    expect(r.state).toMatchObject({ lastSeen: T, firstEventId: 'e1', succeeded: true, source: 'reconcile' });
  });

  it('records succeeded false for a failed claiming call', async () => {
    const store = new InMemoryBaselineStore();
    const r = await store.claim(claimReq('e1', T, { failed: true }));
    expect(r.state.succeeded).toBe(false);
    expect(r.state.firstSuccessEventId).toBeUndefined();
  });

  it('returns the existing state unchanged when the key exists', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    const r = await store.claim(claimReq('e2', T + DAY, { failed: true }));
    expect(r.claimed).toBe(false);
    expect(r.state).toMatchObject({ lastSeen: T, firstEventId: 'e1', succeeded: true });
  });

  it('claims a key anew once lastSeen + retention is before the time, clearing its old state', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    await store.windowReturn(key, T, 'w', T + 100 * DAY, RETENTION);
    const r = await store.claim(claimReq('e2', T + 100 * DAY + RETENTION + 1, { failed: true }));
    expect(r.claimed).toBe(true);
    expect(r.state.firstEventId).toBe('e2');
    expect(r.state.succeeded).toBe(false);
    expect(r.state.windowEventId).toBeUndefined();
  });

  it('does not claim a key whose lastSeen + retention equals the time', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    expect((await store.claim(claimReq('e2', T + RETENTION))).claimed).toBe(false);
  });

  it('lets exactly one of concurrent claims win', async () => {
    const store = new InMemoryBaselineStore();
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.claim(claimReq(id, T))));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    const winner = results.find((r) => r.claimed)?.state.firstEventId;
    for (const r of results) expect(r.state.firstEventId).toBe(winner);
  });
});

describe('InMemoryBaselineStore.markSucceeded()', () => {
  it('sets succeeded and firstSuccessEventId on a key that has not succeeded', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('denied', T, { failed: true }));
    const r = await store.markSucceeded(key, 'ok', T + DAY, RETENTION);
    expect(r.applied).toBe(true);
    expect(r.state).toMatchObject({ succeeded: true, firstSuccessEventId: 'ok', lastSeen: T });
  });

  it('applies once and returns the winner to later callers', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('denied', T, { failed: true }));
    await store.markSucceeded(key, 'ok1', T + DAY, RETENTION);
    const r = await store.markSucceeded(key, 'ok2', T + DAY, RETENTION);
    expect(r.applied).toBe(false);
    expect(r.state?.firstSuccessEventId).toBe('ok1');
  });

  it('does not create an absent key', async () => {
    const store = new InMemoryBaselineStore();
    expect(await store.markSucceeded(key, 'ok', T, RETENTION)).toEqual({ applied: false, state: undefined });
    expect(store.size).toBe(0);
  });
});

describe('InMemoryBaselineStore.windowReturn()', () => {
  it('sets lastSeen, windowEventId and windowPreviousSeen when lastSeen equals the expected value', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    const r = await store.windowReturn(key, T, 'w', T + 100 * DAY, RETENTION);
    expect(r.applied).toBe(true);
    expect(r.state).toMatchObject({ lastSeen: T + 100 * DAY, windowEventId: 'w', windowPreviousSeen: T });
  });

  it('fails and returns the current state when lastSeen has moved', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    await store.windowReturn(key, T, 'w1', T + 100 * DAY, RETENTION);
    const r = await store.windowReturn(key, T, 'w2', T + 101 * DAY, RETENTION);
    expect(r.applied).toBe(false);
    expect(r.state).toMatchObject({ lastSeen: T + 100 * DAY, windowEventId: 'w1' });
  });

  it('extends the expiry from the new lastSeen', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    await store.windowReturn(key, T, 'w', T + 100 * DAY, RETENTION);
    expect((await store.claim(claimReq('e2', T + RETENTION + 50 * DAY))).claimed).toBe(false);
  });
});

describe('InMemoryBaselineStore.refresh()', () => {
  it('moves lastSeen to the time once the interval has passed', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    const r = await store.refresh(key, T + DAY, RETENTION, DAY);
    expect(r.applied).toBe(true);
    expect(r.state?.lastSeen).toBe(T + DAY);
  });

  it('does not refresh before the interval has passed since the stored lastSeen', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    const r = await store.refresh(key, T + DAY - 1, RETENTION, DAY);
    expect(r.applied).toBe(false);
    expect(r.state?.lastSeen).toBe(T);
  });

  it('never moves lastSeen backwards', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T + 10 * DAY));
    expect((await store.refresh(key, T, RETENTION, DAY)).applied).toBe(false);
    expect((await store.getKey(key))?.lastSeen).toBe(T + 10 * DAY);
  });

  it('extends the expiry from the new lastSeen', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    await store.refresh(key, T + 30 * DAY, RETENTION, DAY);
    expect((await store.claim(claimReq('e2', T + RETENTION + DAY))).claimed).toBe(false);
  });
});

describe('InMemoryBaselineStore.recordSighting()', () => {
  it('keeps the earliest time and returns it', async () => {
    const store = new InMemoryBaselineStore();
    expect(await store.recordSighting('role/deploy', T + 5 * DAY)).toBe(T + 5 * DAY);
    expect(await store.recordSighting('role/deploy', T + 9 * DAY)).toBe(T + 5 * DAY);
    expect(await store.recordSighting('role/deploy', T)).toBe(T);
    expect(await store.recordSighting('role/other', T + 9 * DAY)).toBe(T + 9 * DAY);
  });
});

describe('InMemoryBaselineStore.seedKey()', () => {
  it('puts an absent key with source seed', async () => {
    const store = new InMemoryBaselineStore();
    await store.seedKey(key, { lastSeen: T, firstEventId: 'h1', succeeded: true, source: 'live' }, RETENTION);
    expect(await store.getKey(key)).toMatchObject({ lastSeen: T, firstEventId: 'h1', source: 'seed' });
  });

  it('only moves an existing key lastSeen forward and keeps its claim', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('live1', T + 10 * DAY, { failed: true }));
    await store.seedKey(
      key,
      { lastSeen: T, firstEventId: 'h1', succeeded: false, source: 'seed' },
      RETENTION,
    );
    expect(await store.getKey(key)).toMatchObject({
      lastSeen: T + 10 * DAY,
      firstEventId: 'live1',
      source: 'live',
    });
    await store.seedKey(
      key,
      { lastSeen: T + 20 * DAY, firstEventId: 'h1', succeeded: false, source: 'seed' },
      RETENTION,
    );
    expect((await store.getKey(key))?.lastSeen).toBe(T + 20 * DAY);
  });

  it('sets succeeded on an existing key when the seed saw a success', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('live1', T, { failed: true }));
    await store.seedKey(
      key,
      { lastSeen: T, firstEventId: 'h1', succeeded: true, firstSuccessEventId: 'h2', source: 'seed' },
      RETENTION,
    );
    expect(await store.getKey(key)).toMatchObject({ succeeded: true, firstSuccessEventId: 'h2' });
  });

  it('replaces a key expired at the seeded lastSeen', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('live1', T));
    await store.seedKey(
      key,
      { lastSeen: T + RETENTION + DAY, firstEventId: 'h1', succeeded: false, source: 'seed' },
      RETENTION,
    );
    expect(await store.getKey(key)).toMatchObject({ firstEventId: 'h1', succeeded: false, source: 'seed' });
  });
});

describe('InMemoryBaselineStore.getKey()', () => {
  it('returns undefined for a key expired at now', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    expect(await store.getKey(key, T + RETENTION)).toBeDefined();
    expect(await store.getKey(key, T + RETENTION + 1)).toBeUndefined();
  });

  it('returns a copy that cannot change the stored key', async () => {
    const store = new InMemoryBaselineStore();
    await store.claim(claimReq('e1', T));
    const copy = await store.getKey(key);
    if (copy) copy.lastSeen = 0;
    expect((await store.getKey(key))?.lastSeen).toBe(T);
  });
});
