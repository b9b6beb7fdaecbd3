import type { Alert } from '@firstseen/core';
import {
  type AlertOutbox,
  type Heartbeat,
  type HeartbeatSource,
  runWatchdog,
  SILENCE_ACTION,
} from '../../src';

const MINUTE = 60_000;
const NOW = Date.parse('2025-03-01T12:00:00Z');

class FakeHeartbeats implements HeartbeatSource {
  constructor(readonly items: Heartbeat[]) {}
  async list(): Promise<Heartbeat[]> {
    return this.items.map((h) => ({ ...h }));
  }
}

/** The outbox rule of DESIGN.md: the first alert per alertId stands. */
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
});

describe('runWatchdog()', () => {
  it('alerts for an (account, region) silent longer than configured and not for a recent one', async () => {
    const outbox = new FakeOutbox();
    const result = await runWatchdog({
      heartbeats: new FakeHeartbeats([
        hb('111122223333', 'us-east-1', 90),
        hb('111122223333', 'eu-west-1', 5),
      ]),
      outbox,
      silenceMs: 60 * MINUTE,
      clock: () => NOW,
    });
    expect(result).toMatchObject({ checked: 2, alerted: 1 });
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
    const heartbeats = new FakeHeartbeats([hb('111122223333', 'us-east-1', 120)]);
    const first = await runWatchdog({ heartbeats, outbox, silenceMs: 60 * MINUTE, clock: () => NOW });
    const second = await runWatchdog({
      heartbeats,
      outbox,
      silenceMs: 60 * MINUTE,
      clock: () => NOW + 15 * MINUTE,
    });
    expect(first.alerted).toBe(1);
    expect(second.alerted).toBe(0);
    expect(second.silent).toHaveLength(1);
    expect(outbox.alerts.size).toBe(1);
  });

  it('alerts again when a source resumes and then falls silent anew', async () => {
    const outbox = new FakeOutbox();
    await runWatchdog({
      heartbeats: new FakeHeartbeats([hb('111122223333', 'us-east-1', 120)]),
      outbox,
      silenceMs: 60 * MINUTE,
      clock: () => NOW,
    });
    const later = NOW + 300 * MINUTE;
    await runWatchdog({
      heartbeats: new FakeHeartbeats([
        { account: '111122223333', region: 'us-east-1', lastEventTime: NOW + 100 * MINUTE },
      ]),
      outbox,
      silenceMs: 60 * MINUTE,
      clock: () => later,
    });
    expect(outbox.alerts.size).toBe(2);
  });

  it('does not alert at exactly the silence threshold', async () => {
    const outbox = new FakeOutbox();
    const result = await runWatchdog({
      heartbeats: new FakeHeartbeats([hb('111122223333', 'us-east-1', 60)]),
      outbox,
      silenceMs: 60 * MINUTE,
      clock: () => NOW,
    });
    expect(result.alerted).toBe(0);
  });

  it('skips ignored accounts and regions', async () => {
    const outbox = new FakeOutbox();
    const result = await runWatchdog({
      heartbeats: new FakeHeartbeats([
        hb('999999999999', 'us-east-1', 500),
        hb('111122223333', 'ap-south-2', 500),
        hb('111122223333', 'us-east-1', 500),
      ]),
      outbox,
      silenceMs: 60 * MINUTE,
      clock: () => NOW,
      ignore: { accounts: ['9999*'], regions: ['ap-*'] },
    });
    expect(result.silent.map((h) => `${h.account}/${h.region}`)).toEqual(['111122223333/us-east-1']);
  });

  it('rejects a non-positive silence threshold', async () => {
    await expect(
      runWatchdog({
        heartbeats: new FakeHeartbeats([]),
        outbox: new FakeOutbox(),
        silenceMs: 0,
        clock: () => NOW,
      }),
    ).rejects.toThrow(/silenceMs/);
  });
});
