import type { Alert } from '@firstseen/core';
import type { AccountRegion, Heartbeat, HeartbeatSource } from '../../src';
import { runWatchdog } from '../../src/runWatchdog';
import { NEVER_REPORTED_ACTION, SILENCE_ACTION } from '../../src/silenceAlert';
import type { AlertOutbox, WatchdogOptions } from '../../src/types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.parse('2025-03-01T12:00:00Z');
const key = (p: AccountRegion) => `${p.account}/${p.region}`;

/** The heartbeat items, keyed like the table: read by key, expectedSince set only if absent. */
class FakeHeartbeats implements HeartbeatSource {
  readonly items = new Map<string, Heartbeat>();
  reads = 0;
  constructor(items: Heartbeat[] = []) {
    for (const h of items) this.items.set(key(h), { ...h });
  }
  async get(pairs: readonly AccountRegion[]): Promise<Heartbeat[]> {
    this.reads += pairs.length;
    return pairs.flatMap((p) => {
      const h = this.items.get(key(p));
      return h ? [{ ...h }] : [];
    });
  }
  async markExpected(pairs: readonly AccountRegion[], now: number): Promise<void> {
    for (const p of pairs) {
      const h = this.items.get(key(p)) ?? { ...p };
      h.expectedSince ??= now;
      this.items.set(key(p), h);
    }
  }
}

/** The outbox rule of docs/semantics.md: the first alert per alertId stands. */
class FakeOutbox implements AlertOutbox {
  readonly alerts = new Map<string, Alert>();
  async put(alert: Alert): Promise<boolean> {
    if (this.alerts.has(alert.alertId)) return false;
    this.alerts.set(alert.alertId, alert);
    return true;
  }
}

const hb = (account: string, region: string, minutesAgo: number): Heartbeat => ({
  account,
  region,
  lastEventTime: NOW - minutesAgo * MINUTE,
  expectedSince: NOW - 30 * 24 * HOUR,
});

const org = (...ids: string[]) => ({ listActiveAccounts: async () => ids });

function run(over: Partial<WatchdogOptions> & Pick<WatchdogOptions, 'heartbeats' | 'outbox'>) {
  return runWatchdog({
    accounts: org('111122223333'),
    regions: ['us-east-1', 'eu-west-1'],
    silenceMs: 60 * MINUTE,
    neverReportedGraceMs: 24 * HOUR,
    clock: () => NOW,
    ...over,
  });
}

describe('runWatchdog()', () => {
  it('alerts for an expected (account, region) silent longer than configured and not for a recent one', async () => {
    const outbox = new FakeOutbox();
    const result = await run({
      heartbeats: new FakeHeartbeats([
        hb('111122223333', 'us-east-1', 90),
        hb('111122223333', 'eu-west-1', 5),
      ]),
      outbox,
    });
    expect(result).toMatchObject({ expected: 2, alerted: 1 });
    const [alert] = [...outbox.alerts.values()];
    expect(alert).toMatchObject({
      account: '111122223333',
      region: 'us-east-1',
      action: SILENCE_ACTION,
      severity: 'high',
      context: { kind: 'silence', silentForMinutes: 90, lastEventTime: '2025-03-01T10:30:00.000Z' },
    });
  });

  it('writes one alert per silence episode however often it runs', async () => {
    const outbox = new FakeOutbox();
    const heartbeats = new FakeHeartbeats([
      hb('111122223333', 'us-east-1', 120),
      hb('111122223333', 'eu-west-1', 1),
    ]);
    const first = await run({ heartbeats, outbox });
    const second = await run({ heartbeats, outbox, clock: () => NOW + 15 * MINUTE });
    expect(first.alerted).toBe(1);
    expect(second.alerted).toBe(0);
    expect(second.silent).toHaveLength(1);
    expect(outbox.alerts.size).toBe(1);
  });

  it('alerts again when a source resumes and then falls silent anew', async () => {
    const outbox = new FakeOutbox();
    const heartbeats = new FakeHeartbeats([
      hb('111122223333', 'us-east-1', 120),
      hb('111122223333', 'eu-west-1', 1),
    ]);
    await run({ heartbeats, outbox });
    heartbeats.items.get('111122223333/us-east-1')!.lastEventTime = NOW + 100 * MINUTE;
    heartbeats.items.get('111122223333/eu-west-1')!.lastEventTime = NOW + 299 * MINUTE;
    await run({ heartbeats, outbox, clock: () => NOW + 300 * MINUTE });
    expect(outbox.alerts.size).toBe(2);
  });

  it('does not alert at exactly the silence threshold', async () => {
    const result = await run({
      heartbeats: new FakeHeartbeats([
        hb('111122223333', 'us-east-1', 60),
        hb('111122223333', 'eu-west-1', 60),
      ]),
      outbox: new FakeOutbox(),
    });
    expect(result.alerted).toBe(0);
  });

  it('expects a new account from its first run and alerts once if it never reports within the grace period', async () => {
    const outbox = new FakeOutbox();
    // The established account keeps sending (its last event stays recent at every run below).
    const recent = -48 * 60;
    const heartbeats = new FakeHeartbeats([
      hb('111122223333', 'us-east-1', recent),
      hb('111122223333', 'eu-west-1', recent),
    ]);
    const accounts = org('111122223333', '444455556666');
    const first = await run({ accounts, heartbeats, outbox });
    expect(first).toMatchObject({ expected: 4, newlyExpected: 2, alerted: 0 });
    expect(heartbeats.items.get('444455556666/eu-west-1')?.expectedSince).toBe(NOW);

    const withinGrace = await run({ accounts, heartbeats, outbox, clock: () => NOW + 24 * HOUR });
    expect(withinGrace).toMatchObject({ newlyExpected: 0, alerted: 0 });

    const later = NOW + 24 * HOUR + MINUTE;
    const past = await run({ accounts, heartbeats, outbox, clock: () => later });
    const again = await run({ accounts, heartbeats, outbox, clock: () => later + 15 * MINUTE });
    expect(past.neverReported.map(key)).toEqual(['444455556666/us-east-1', '444455556666/eu-west-1']);
    expect(past.alerted).toBe(2);
    expect(again.alerted).toBe(0);
    expect([...outbox.alerts.values()][0]).toMatchObject({
      account: '444455556666',
      action: NEVER_REPORTED_ACTION,
      severity: 'medium',
      context: { kind: 'never-reported', expectedSince: new Date(NOW).toISOString(), expectedForHours: 24 },
    });
  });

  it('no longer expects an account that left ACTIVE, nor a region that is not forwarded', async () => {
    const result = await run({
      accounts: org('111122223333'),
      regions: ['us-east-1'],
      heartbeats: new FakeHeartbeats([
        hb('111122223333', 'us-east-1', 1),
        hb('111122223333', 'ap-south-2', 500),
        hb('999988887777', 'us-east-1', 500),
      ]),
      outbox: new FakeOutbox(),
    });
    expect(result).toMatchObject({ expected: 1, alerted: 0 });
  });

  it('reads one heartbeat per expected pair, never the rest of the table', async () => {
    const heartbeats = new FakeHeartbeats(
      Array.from({ length: 500 }, (_, i) => hb(String(100000000000 + i), 'us-east-1', 1)),
    );
    await run({ accounts: org('111122223333', '222233334444'), heartbeats, outbox: new FakeOutbox() });
    expect(heartbeats.reads).toBe(4);
  });

  it('skips ignored accounts and regions', async () => {
    const result = await run({
      accounts: org('999999999999', '111122223333'),
      regions: ['us-east-1', 'ap-south-2'],
      heartbeats: new FakeHeartbeats([
        hb('999999999999', 'us-east-1', 500),
        hb('111122223333', 'ap-south-2', 500),
        hb('111122223333', 'us-east-1', 500),
      ]),
      outbox: new FakeOutbox(),
      ignore: { accounts: ['9999*'], regions: ['ap-*'] },
    });
    expect(result.silent.map(key)).toEqual(['111122223333/us-east-1']);
  });

  it('rejects non-positive thresholds', async () => {
    const base = { heartbeats: new FakeHeartbeats(), outbox: new FakeOutbox() };
    await expect(run({ ...base, silenceMs: 0 })).rejects.toThrow(/silenceMs/);
    await expect(run({ ...base, neverReportedGraceMs: 0 })).rejects.toThrow(/neverReportedGraceMs/);
  });
});

describe('runWatchdog() account directory', () => {
  it('refreshes the cached directory each run', async () => {
    const written: unknown[] = [];
    const result = await run({
      heartbeats: new FakeHeartbeats([
        hb('111122223333', 'us-east-1', 5),
        hb('111122223333', 'eu-west-1', 5),
      ]),
      outbox: new FakeOutbox(),
      directory: {
        read: async () => ({ '111122223333': { name: 'security', ouPath: 'Security' } }),
        put: async (d, at) => void written.push({ d, at }),
      },
    });
    expect(written).toEqual([{ d: { '111122223333': { name: 'security', ouPath: 'Security' } }, at: NOW }]);
    expect(result.directory).toEqual({ accounts: 1 });
  });

  it('still alerts on silence when the directory cannot be read, and reports why', async () => {
    const outbox = new FakeOutbox();
    const result = await run({
      heartbeats: new FakeHeartbeats([
        hb('111122223333', 'us-east-1', 90),
        hb('111122223333', 'eu-west-1', 5),
      ]),
      outbox,
      directory: {
        read: async () => {
          throw Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
        },
        put: async () => {},
      },
    });
    expect(result).toMatchObject({ alerted: 1, directory: { error: 'AccessDeniedException: not allowed' } });
  });
});
