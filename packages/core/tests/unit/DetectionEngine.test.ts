import { type ConfigInput, parseConfig } from '../../src/config';
import { createKeyCache, type Detection, DetectionEngine } from '../../src/DetectionEngine';
import { InMemoryBaselineStore } from '../../src/InMemoryBaselineStore';
import { levelKeys } from '../../src/levelKeys';
import type { ClaimSource, Level, ObservedEvent } from '../../src/types';
import { day, type EventSpec, observed } from '../helpers/observedEvent';

// Level semantics of docs/semantics.md "Levels and keys" and "Policy and the alert". Unless a test is
// about burn-in, burn-in is off so that every fired level is visible as an alert.

function setup(config: ConfigInput = {}, cache = true) {
  const store = new InMemoryBaselineStore();
  const engine = new DetectionEngine({
    store,
    config: parseConfig({ burnInDays: 0, ...config }),
    cache: cache ? createKeyCache({ maxKeys: 1000 }) : false,
  });
  const run = (spec: EventSpec, source: ClaimSource = 'live') => engine.detect(observed(spec), source);
  return { store, engine, run };
}

function roleKey(e: ObservedEvent) {
  const k = levelKeys(e)[1];
  if (k === undefined) throw new Error('no role key');
  return k;
}

function alerted(d: Detection): Level[] {
  return d.alert?.levels ?? [];
}

describe.each([
  ['with the key cache', true],
  ['without the key cache', false],
])('DetectionEngine.detect() %s', (_label, cache) => {
  describe('first sighting', () => {
    it('fires account, role and region for the first call of an action', async () => {
      const { run } = setup({}, cache);
      expect(alerted(await run({ id: 'e1' }))).toEqual(['account', 'role', 'region']);
    });

    it('fires nothing for a different event repeating a known call', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' });
      const d = await run({ id: 'e2', at: 0.1 });
      expect(d.fired).toEqual([]);
      expect(d.alert).toBeUndefined();
    });

    it('fires only account for the same role and action in a second account and a known region', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', account: '111111111111' });
      expect(alerted(await run({ id: 'e2', account: '222222222222', at: 0.1 }))).toEqual(['account']);
    });

    it('fires account and region for the same role and action in a second account and a new region', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', account: '111111111111' });
      const d = await run({ id: 'e2', account: '222222222222', region: 'eu-west-1', at: 0.1 });
      expect(alerted(d)).toEqual(['account', 'region']);
    });

    it('fires only region for a known action in a new region of the same account', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' });
      expect(alerted(await run({ id: 'e2', region: 'eu-west-1', at: 0.1 }))).toEqual(['region']);
    });

    it('fires account, role and region for a new action of a known principal', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' });
      const d = await run({ id: 'e2', eventName: 'GetObject', at: 0.1 });
      expect(alerted(d)).toEqual(['account', 'role', 'region']);
    });

    it('fires its own alert for a second principal doing the same action', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', principal: 'role/deploy' });
      const d = await run({ id: 'e2', principal: 'role/audit', at: 0.1 });
      expect(d.alert?.eventId).toBe('e2');
      expect(d.alert?.principal).toBe('role/audit');
      expect(d.alert?.levels).toEqual(['account', 'role', 'region']);
    });
  });

  describe('redelivery of one eventID', () => {
    it('returns the same levels and alert id when the same event is processed twice', async () => {
      const { run } = setup({}, cache);
      const first = await run({ id: 'e1' });
      const second = await run({ id: 'e1' });
      expect(second.fired).toEqual(first.fired);
      // The outbox put is conditional on alertId = eventID, so both yield the one alert.
      expect(second.alert?.alertId).toBe('e1');
      expect(first.alert?.alertId).toBe('e1');
      expect(second.alert?.levels).toEqual(['account', 'role', 'region']);
    });

    it('returns the same levels for a redelivered event that claimed only one key', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' });
      await run({ id: 'e2', region: 'eu-west-1', at: 0.1 });
      expect(alerted(await run({ id: 'e2', region: 'eu-west-1', at: 0.1 }))).toEqual(['region']);
    });
  });

  describe('first success after failure', () => {
    it('fires again on the first successful call after a denied probe', async () => {
      const { run } = setup({}, cache);
      const probe = await run({ id: 'denied', errorCode: 'AccessDenied' });
      expect(alerted(probe)).toEqual(['account', 'role', 'region']);
      expect(probe.alert?.errorCode).toBe('AccessDenied');
      const success = await run({ id: 'ok', at: 0.1 });
      expect(alerted(success)).toEqual(['account', 'role', 'region']);
      expect(success.firstSuccessAfterFailure).toBe(true);
      expect(success.alert?.firstSuccessAfterFailure).toBe(true);
    });

    it('rates a first success after failure that fires no role level medium', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', account: '111111111111' });
      const probe = await run({ id: 'denied', account: '222222222222', errorCode: 'AccessDenied', at: 0.1 });
      expect(probe.alert?.levels).toEqual(['account']);
      expect(probe.alert?.severity).toBe('low');
      const success = await run({ id: 'ok', account: '222222222222', at: 0.2 });
      expect(success.alert?.levels).toEqual(['account']);
      expect(success.alert?.firstSuccessAfterFailure).toBe(true);
      expect(success.alert?.severity).toBe('medium');
    });

    it('fires again when the first successful call is redelivered', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'denied', errorCode: 'AccessDenied' });
      await run({ id: 'ok', at: 0.1 });
      const retry = await run({ id: 'ok', at: 0.1 });
      expect(alerted(retry)).toEqual(['account', 'role', 'region']);
      expect(retry.firstSuccessAfterFailure).toBe(true);
    });

    it('does not fire for a second successful call after the first success', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'denied', errorCode: 'AccessDenied' });
      await run({ id: 'ok', at: 0.1 });
      expect((await run({ id: 'ok2', at: 0.2 })).fired).toEqual([]);
    });

    it('does not fire for further denied calls', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'denied', errorCode: 'AccessDenied' });
      expect((await run({ id: 'denied2', errorCode: 'AccessDenied', at: 0.1 })).fired).toEqual([]);
    });

    it('does not mark the first success when the claiming call succeeded', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' });
      await run({ id: 'denied', errorCode: 'AccessDenied', at: 0.1 });
      expect((await run({ id: 'e2', at: 0.2 })).fired).toEqual([]);
    });
  });

  describe('window', () => {
    it('fires window when t minus the stored lastSeen exceeds windowDays', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      const d = await run({ id: 'e2', at: 90.5 });
      expect(alerted(d)).toEqual(['window']);
      expect(d.previousSeen).toBe(day(0));
      expect(d.alert?.previousSeen).toBe(new Date(day(0)).toISOString());
    });

    it('does not fire window when the gap equals windowDays exactly', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      expect((await run({ id: 'e2', at: 90 })).fired).toEqual([]);
    });

    it('fires window when the true gap is under windowDays but the stored lastSeen lags by the daily refresh', async () => {
      const { run, store } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      // 0.9 days later: under the role key's one-day refresh interval, so lastSeen stays at day 0.
      await run({ id: 'e2', at: 0.9 });
      expect((await store.getKey(roleKey(observed({ id: 'x' }))))?.lastSeen).toBe(day(0));
      const d = await run({ id: 'e3', at: 90.5 }); // true gap 89.6 days, stored gap 90.5 days
      expect(alerted(d)).toEqual(['window']);
      expect(d.previousSeen).toBe(day(0));
    });

    it('does not fire window when a daily refresh kept the stored lastSeen within windowDays', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      await run({ id: 'e2', at: 1 }); // a full day later: refreshes the role key
      expect((await run({ id: 'e3', at: 90.5 })).fired).toEqual([]);
    });

    it('never fires window on a first sighting', async () => {
      const { run } = setup({}, cache);
      expect((await run({ id: 'e1', at: 300 })).fired).not.toContain('window');
    });

    it('claims an expired role key anew instead of firing window', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      const d = await run({ id: 'e2', at: 400.5 });
      expect(d.fired).toEqual(['account', 'role', 'region']);
      expect(d.previousSeen).toBeUndefined();
    });

    it('fires window for only the first of two different events after the gap', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      expect(alerted(await run({ id: 'e2', at: 100 }))).toEqual(['window']);
      expect((await run({ id: 'e3', at: 100.1 })).fired).toEqual([]);
    });

    it('fires window again with the same previousSeen when the window event is redelivered', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      await run({ id: 'e2', at: 100 });
      await run({ id: 'e3', at: 100.1 });
      const retry = await run({ id: 'e2', at: 100 });
      expect(alerted(retry)).toEqual(['window']);
      expect(retry.alert?.previousSeen).toBe(new Date(day(0)).toISOString());
    });

    it('fires window again after a second gap', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      await run({ id: 'e2', at: 100 });
      const d = await run({ id: 'e3', at: 200 });
      expect(alerted(d)).toEqual(['window']);
      expect(d.previousSeen).toBe(day(100));
    });

    it('fires window and first success together for a success after a long-denied probe', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'denied', errorCode: 'AccessDenied', at: 0 });
      const d = await run({ id: 'ok', at: 100 });
      expect(alerted(d)).toEqual(['account', 'role', 'region', 'window']);
      expect(d.firstSuccessAfterFailure).toBe(true);
    });
  });

  describe('lastSeen and expiry', () => {
    it('refreshes lastSeen on the event that is the first success', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'denied', errorCode: 'AccessDenied', at: 0 });
      await run({ id: 'ok', at: 2 }); // first success and, 2 days on, the role key's refresh
      expect((await run({ id: 'e3', at: 91 })).fired).toEqual([]); // gap 89 days: no window
    });

    it('never moves lastSeen backwards for a late event', async () => {
      const { run, store } = setup({}, cache);
      await run({ id: 'e1', at: 10 });
      await run({ id: 'late', at: 2 });
      for (const k of levelKeys(observed({ id: 'x' }))) {
        expect((await store.getKey(k))?.lastSeen).toBe(day(10));
      }
    });

    it('does not fire for a late event of a known key', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 10 });
      expect((await run({ id: 'late', at: 2 })).fired).toEqual([]);
    });

    it('refreshes the account key only once its 30-day interval has passed', async () => {
      const { run, store } = setup({}, cache);
      const accountKey = levelKeys(observed({ id: 'x' }))[0]!;
      await run({ id: 'e1', at: 0 });
      await run({ id: 'e2', at: 29.9 });
      expect((await store.getKey(accountKey))?.lastSeen).toBe(day(0));
      await run({ id: 'e3', at: 30 });
      expect((await store.getKey(accountKey))?.lastSeen).toBe(day(30));
    });

    it('claims a key anew once lastSeen + retentionDays is before the event time', async () => {
      const { run } = setup({ retentionDays: 100, windowDays: 0 }, cache);
      await run({ id: 'e1', at: 0 });
      const d = await run({ id: 'e2', at: 100.01 });
      expect(alerted(d)).toEqual(['account', 'role', 'region']);
    });

    it('does not claim a key whose lastSeen + retentionDays equals the event time', async () => {
      const { run } = setup({ retentionDays: 100, windowDays: 0 }, cache);
      await run({ id: 'e1', at: 0 });
      expect((await run({ id: 'e2', at: 100 })).fired).toEqual([]);
    });

    it('measures expiry from the refreshed lastSeen', async () => {
      const { run } = setup({ retentionDays: 100, windowDays: 0 }, cache);
      await run({ id: 'e1', at: 0 });
      await run({ id: 'e2', at: 50 }); // refreshes all three keys (>= 30 days)
      expect((await run({ id: 'e3', at: 140 })).fired).toEqual([]);
    });
  });

  describe('burn-in', () => {
    it('suppresses alerts within burnInDays of the first sighting', async () => {
      const { run } = setup({ burnInDays: 14 }, cache);
      await run({ id: 'e1', at: 0 });
      const d = await run({ id: 'e2', eventName: 'GetObject', at: 13.9 });
      expect(d.fired).toEqual(['account', 'role', 'region']);
      expect(d.suppressed).toBe('burn-in');
      expect(d.alert).toBeUndefined();
    });

    it('alerts once burnInDays have passed since the first sighting', async () => {
      const { run } = setup({ burnInDays: 14 }, cache);
      await run({ id: 'e1', at: 0 });
      expect(alerted(await run({ id: 'e2', eventName: 'GetObject', at: 14 }))).toEqual([
        'account',
        'role',
        'region',
      ]);
    });

    it('learns keys during burn-in', async () => {
      const { run } = setup({ burnInDays: 14 }, cache);
      await run({ id: 'e1', at: 0 });
      await run({ id: 'e2', eventName: 'GetObject', at: 5 });
      expect((await run({ id: 'e3', eventName: 'GetObject', at: 20 })).fired).toEqual([]);
    });

    it('measures burn-in from the earliest sighting when a late event arrives', async () => {
      const { run } = setup({ burnInDays: 14 }, cache);
      await run({ id: 'e1', at: 10 });
      await run({ id: 'late', eventName: 'GetObject', at: 0 });
      const d = await run({ id: 'e2', eventName: 'PutObject', at: 15 });
      expect(d.firstSighting).toBe(day(0));
      expect(alerted(d)).toEqual(['account', 'role', 'region']);
    });

    it('alerts from the first event when burnInDays is 0', async () => {
      const { run } = setup({ burnInDays: 0 }, cache);
      expect(alerted(await run({ id: 'e1', at: 0 }))).toEqual(['account', 'role', 'region']);
    });

    it('alerts for a sensitive action during burn-in', async () => {
      const { run } = setup({ burnInDays: 14 }, cache);
      const d = await run({ id: 'e1', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' });
      expect(d.alert?.levels).toEqual(['account', 'role', 'region']);
      expect(d.alert?.sensitive).toBe(true);
    });

    it('measures burn-in per principal', async () => {
      const { run } = setup({ burnInDays: 14 }, cache);
      await run({ id: 'e1', principal: 'role/old', at: 0 });
      const d = await run({ id: 'e2', principal: 'role/new', at: 20 });
      expect(d.suppressed).toBe('burn-in');
    });
  });

  describe('severity', () => {
    it('rates a sensitive action high', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' });
      const d = await run({
        id: 'e2',
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser',
        region: 'eu-west-1',
        at: 0.1,
      });
      expect(d.alert?.levels).toEqual(['region']);
      expect(d.alert?.severity).toBe('high');
    });

    it('rates a root principal high', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', principal: 'root/111122223333' });
      const d = await run({ id: 'e2', principal: 'root/111122223333', region: 'eu-west-1', at: 0.1 });
      expect(d.alert?.levels).toEqual(['region']);
      expect(d.alert?.severity).toBe('high');
    });

    it('rates a role level medium', async () => {
      const { run } = setup({}, cache);
      expect((await run({ id: 'e1' })).alert?.severity).toBe('medium');
    });

    it('rates an account or region level alone low', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' });
      expect((await run({ id: 'e2', region: 'eu-west-1', at: 0.1 })).alert?.severity).toBe('low');
    });

    it('rates a window alone low', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      expect((await run({ id: 'e2', at: 100 })).alert?.severity).toBe('low');
    });
  });

  describe('sources', () => {
    it('never alerts for seed', async () => {
      const { run } = setup({}, cache);
      const d = await run({ id: 'e1' }, 'seed');
      expect(d.fired).toEqual(['account', 'role', 'region']);
      expect(d.suppressed).toBe('seed');
      expect(d.alert).toBeUndefined();
    });

    it('learns keys from seed', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' }, 'seed');
      expect((await run({ id: 'e2', at: 0.1 })).fired).toEqual([]);
    });

    it('does not fire when live processes an event seed already claimed', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' }, 'seed');
      expect((await run({ id: 'e1' }, 'live')).fired).toEqual([]);
    });

    it('does not fire when reconcile re-processes an event live already claimed', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' }, 'live');
      expect((await run({ id: 'e1' }, 'reconcile')).fired).toEqual([]);
    });

    it('fires again when reconcile re-processes its own claim', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' }, 'reconcile');
      expect(alerted(await run({ id: 'e1' }, 'reconcile'))).toEqual(['account', 'role', 'region']);
    });

    it('fires first success for live when seed recorded that same event as the first success', async () => {
      // The specification binds only step 2 (the re-claim) to the source; step 3's retry is source-blind.
      const { run } = setup({}, cache);
      await run({ id: 'denied', errorCode: 'AccessDenied' }, 'seed');
      await run({ id: 'ok', at: 0.1 }, 'seed');
      expect((await run({ id: 'ok', at: 0.1 }, 'live')).fired).toEqual(['account', 'role', 'region']);
    });

    it('alerts on reconcile for a key nobody claimed', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1' }, 'live');
      const d = await run({ id: 'e2', region: 'eu-west-1', at: 0.1 }, 'reconcile');
      expect(d.alert?.levels).toEqual(['region']);
      expect(d.alert?.source).toBe('reconcile');
    });
  });

  describe('levels in config', () => {
    it('does not report levels disabled in config', async () => {
      const { run } = setup({ levels: { account: false, region: false } }, cache);
      expect(alerted(await run({ id: 'e1' }))).toEqual(['role']);
    });

    it('does not learn the keys of disabled levels', async () => {
      const { run, store } = setup({ levels: { account: false, region: false } }, cache);
      await run({ id: 'e1' });
      expect(store.size).toBe(1);
    });

    it('does not fire window when windowDays is 0', async () => {
      const { run } = setup({ windowDays: 0 }, cache);
      await run({ id: 'e1', at: 0 });
      expect((await run({ id: 'e2', at: 200 })).fired).toEqual([]);
    });

    it('does not fire window when the window level is disabled', async () => {
      const { run } = setup({ levels: { window: false } }, cache);
      await run({ id: 'e1', at: 0 });
      expect((await run({ id: 'e2', at: 200 })).fired).toEqual([]);
    });

    it('fires window without reporting role when only the role level is disabled', async () => {
      const { run } = setup({ levels: { role: false } }, cache);
      expect(alerted(await run({ id: 'e1', at: 0 }))).toEqual(['account', 'region']);
      expect(alerted(await run({ id: 'e2', at: 200 }))).toEqual(['window']);
    });

    it('reports fired levels in the order account, role, region, window', async () => {
      const { run } = setup({}, cache);
      await run({ id: 'e1', at: 0 });
      expect(alerted(await run({ id: 'e2', region: 'eu-west-1', at: 100 }))).toEqual(['region', 'window']);
    });
  });
});

describe('DetectionEngine key cache', () => {
  function twoEngines(config: ConfigInput = {}) {
    const store = new InMemoryBaselineStore();
    const make = () =>
      new DetectionEngine({
        store,
        config: parseConfig({ burnInDays: 0, ...config }),
        cache: createKeyCache({ maxKeys: 1000 }),
      });
    const a = make();
    const b = make();
    return {
      store,
      a: (spec: EventSpec) => a.detect(observed(spec)),
      b: (spec: EventSpec) => b.detect(observed(spec)),
    };
  }

  it('answers a repeated call from a warm cache with zero store requests', async () => {
    const store = new InMemoryBaselineStore();
    const engine = new DetectionEngine({
      store,
      config: parseConfig({}),
      cache: createKeyCache({ maxKeys: 1000 }),
    });
    await engine.detect(observed({ id: 'e1', at: 0 }));
    const writes = store.writes;
    const d = await engine.detect(observed({ id: 'e2', at: 0.5 }));
    expect(d.storeRequests).toBe(0);
    expect(d.cacheHits).toBe(3);
    expect(store.writes).toBe(writes);
  });

  it('asks the store for every key when the cache is off', async () => {
    const store = new InMemoryBaselineStore();
    const engine = new DetectionEngine({ store, config: parseConfig({}), cache: false });
    await engine.detect(observed({ id: 'e1', at: 0 }));
    const d = await engine.detect(observed({ id: 'e2', at: 0.5 }));
    expect(d.cacheHits).toBe(0);
    expect(d.storeRequests).toBeGreaterThanOrEqual(3);
  });

  it('keeps at most maxPrincipals first sightings in memory', async () => {
    const store = new InMemoryBaselineStore();
    const config = parseConfig({});
    const engine = new DetectionEngine({
      store,
      config,
      cache: createKeyCache({ maxKeys: 1000 }),
      maxPrincipals: 1,
    });
    await engine.detect(observed({ id: 'a1', principal: 'role/a', at: 0 }));
    await engine.detect(observed({ id: 'b1', principal: 'role/b', at: 0.1 }));
    const d = await engine.detect(observed({ id: 'a2', principal: 'role/a', at: 0.2 }));
    expect(d.cacheHits).toBe(3);
    expect(d.storeRequests).toBe(1); // the evicted first sighting only
    expect(d.firstSighting).toBe(day(0));
  });

  it('asks the store when a due refresh makes a cached key cost a write', async () => {
    const store = new InMemoryBaselineStore();
    const engine = new DetectionEngine({
      store,
      config: parseConfig({}),
      cache: createKeyCache({ maxKeys: 1000 }),
    });
    await engine.detect(observed({ id: 'e1', at: 0 }));
    const d = await engine.detect(observed({ id: 'e2', at: 1 }));
    expect(d.cacheHits).toBe(3);
    expect(d.storeRequests).toBe(1); // the role key's daily refresh only
  });

  it('fires the first occurrence of a key another engine has cached nothing about', async () => {
    const { a, b } = twoEngines();
    await a({ id: 'e1' });
    expect((await b({ id: 'e2', region: 'eu-west-1', at: 0.1 })).fired).toEqual(['region']);
  });

  it('does not fire window from a stale cached lastSeen when another engine refreshed the key', async () => {
    const { a, b } = twoEngines();
    await a({ id: 'e1', at: 0 });
    await b({ id: 'e2', at: 50 }); // refreshes lastSeen to day 50 behind a's back
    expect((await a({ id: 'e3', at: 95 })).fired).toEqual([]);
  });

  it('fires window with the stored previousSeen when the cached lastSeen is stale', async () => {
    const { a, b } = twoEngines();
    await a({ id: 'e1', at: 0 });
    await b({ id: 'e2', at: 50 });
    const d = await a({ id: 'e3', at: 141 });
    expect(d.fired).toEqual(['window']);
    expect(d.previousSeen).toBe(day(50));
  });

  it('does not refresh from a stale cached lastSeen a key the store refreshed under a day ago', async () => {
    const { a, b } = twoEngines();
    await a({ id: 'e1', at: 0 }); // a caches lastSeen = day 0
    await b({ id: 'e2', at: 10 }); // stored lastSeen = day 10
    await a({ id: 'e3', at: 10.5 }); // 0.5 days after the stored lastSeen: no refresh
    // The stored lastSeen is still day 10, so day 100.2 is a window return (gap 90.2 days).
    expect((await b({ id: 'e4', at: 100.2 })).fired).toEqual(['window']);
  });

  it('does not fire first success when another engine already recorded it', async () => {
    const { a, b } = twoEngines();
    await a({ id: 'denied', errorCode: 'AccessDenied' }); // a caches succeeded = false
    expect((await b({ id: 'ok1', at: 0.1 })).fired).toEqual(['account', 'role', 'region']);
    expect((await a({ id: 'ok2', at: 0.2 })).fired).toEqual([]);
  });

  it('fires the redelivered first success through a cache that still holds the failed claim', async () => {
    const { a, b } = twoEngines();
    await a({ id: 'denied', errorCode: 'AccessDenied' });
    await b({ id: 'ok1', at: 0.1 });
    expect((await a({ id: 'ok1', at: 0.1 })).fired).toEqual(['account', 'role', 'region']);
  });

  it('fires the redelivered window event through a cache that predates the window return', async () => {
    const { a, b } = twoEngines();
    await a({ id: 'e1', at: 0 });
    await b({ id: 'e2', at: 100 });
    const d = await a({ id: 'e2', at: 100 });
    expect(d.fired).toEqual(['window']);
    expect(d.previousSeen).toBe(day(0));
  });

  it('measures burn-in from the stored first sighting when the cached one is stale', async () => {
    const { a, b } = twoEngines({ burnInDays: 14 });
    await a({ id: 'e1', at: 10 }); // a caches first sighting = day 10
    await b({ id: 'e0', at: 0 }); // the store learns day 0
    const d = await a({ id: 'e2', eventName: 'GetObject', at: 15 });
    expect(d.firstSighting).toBe(day(0));
    expect(d.alert?.levels).toEqual(['account', 'role', 'region']);
  });

  it('fires each level for exactly one eventId when two engines process the same events concurrently', async () => {
    const store = new InMemoryBaselineStore();
    const config = parseConfig({ burnInDays: 0 });
    const engines = [0, 1].map(
      () => new DetectionEngine({ store, config, cache: createKeyCache({ maxKeys: 1000 }) }),
    );
    const events: ObservedEvent[] = [];
    let n = 0;
    for (const principal of ['role/a', 'role/b'])
      for (const region of ['us-east-1', 'eu-west-1'])
        for (const account of ['111111111111', '222222222222'])
          for (const eventName of ['GetObject', 'PutObject'])
            for (let i = 0; i < 2; i++)
              events.push(
                observed({ id: `e${n++}`, principal, region, account, eventName, at: (n % 7) * 0.3 }),
              );
    const orders = [events, [...events].reverse()];
    const results = await Promise.all(
      engines.map(async (engine, i) => {
        const out: [ObservedEvent, Detection][] = [];
        for (const e of orders[i]!) out.push([e, await engine.detect(e)]);
        return out;
      }),
    );
    const firedBy = new Map<string, Set<string>>();
    for (const [e, d] of results.flat()) {
      const [account, role, region] = levelKeys(e);
      const pkOf: Partial<Record<Level, string>> = {
        account: account!.pk,
        role: role!.pk,
        region: region!.pk,
        window: role!.pk,
      };
      for (const level of d.fired) {
        const id = `${level}|${pkOf[level]}`;
        firedBy.set(id, (firedBy.get(id) ?? new Set()).add(e.eventId));
      }
    }
    // 2 principals x 2 actions role keys, x2 accounts account keys, x2 regions region keys.
    expect(firedBy.size).toBe(4 + 8 + 8);
    for (const ids of firedBy.values()) expect(ids.size).toBe(1);
  });

  it('fires first success for exactly one eventId when two engines race on the successes', async () => {
    const store = new InMemoryBaselineStore();
    const config = parseConfig({ burnInDays: 0 });
    const engines = [0, 1].map(
      () => new DetectionEngine({ store, config, cache: createKeyCache({ maxKeys: 1000 }) }),
    );
    await engines[0]!.detect(observed({ id: 'denied', errorCode: 'AccessDenied' }));
    await engines[1]!.detect(observed({ id: 'denied2', errorCode: 'AccessDenied', at: 0.01 }));
    const successes = Array.from({ length: 6 }, (_, i) => observed({ id: `ok${i}`, at: 0.1 + i * 0.01 }));
    const results = await Promise.all(
      engines.map(async (engine, i) => {
        const out: Detection[] = [];
        const order = i === 0 ? successes : [...successes].reverse();
        for (const e of order) out.push(await engine.detect(e));
        return out;
      }),
    );
    const firing = new Set(
      results
        .flat()
        .filter((d) => d.fired.length > 0)
        .map((d) => d.eventId),
    );
    expect(firing.size).toBe(1);
  });
});
