import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, InMemoryBaselineStore, type ObservedEvent } from '@firstseen/core';
import { CountingBaselineStore } from '../../src/CountingBaselineStore';
import { CountingTable } from '../../src/CountingTable';
import { HourlyRoleJob, PerEventDetector } from '../../src/HourlyRoleJob';
import { NdjsonChunkSource } from '../../src/NdjsonChunkSource';
import { monthlyCostUsd } from '../../src/pricing';
import { RequestFloor } from '../../src/requestFloor';

const T0 = Date.UTC(2025, 0, 6);
const HOUR = 3_600_000;

function event(overrides: Partial<ObservedEvent> = {}): ObservedEvent {
  return {
    eventId: 'e1',
    eventTime: new Date(overrides.time ?? T0).toISOString(),
    time: T0,
    account: '111122223333',
    region: 'us-east-1',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    action: 's3.amazonaws.com:GetObject',
    principal: 'role/app',
    identityType: 'AssumedRole',
    failed: false,
    record: {},
    ...overrides,
  };
}

describe('HourlyRoleJob', () => {
  it('sends a GetItem and a PutItem for a new key, then a GetItem and an UpdateItem in each later hour it appears', () => {
    const job = new HourlyRoleJob(400 * DAY_MS);
    job.add(event({ time: T0 }), 'a#k');
    job.add(event({ time: T0 + 10_000 }), 'a#k'); // same hour: one item
    job.add(event({ time: T0 + HOUR }), 'a#k');
    job.runAll();
    expect(job.table.getItem).toBe(2);
    expect(job.table.putItem).toBe(1);
    expect(job.table.updateItem).toBe(1);
    expect(job.firstOccurrences.get('a#k')).toBe(T0);
  });

  it('finds a key new again after its TTL has passed', () => {
    const job = new HourlyRoleJob(2 * HOUR);
    job.add(event({ time: T0 }), 'a#k');
    job.add(event({ time: T0 + 10 * HOUR }), 'a#k');
    job.runAll();
    expect(job.table.putItem).toBe(2);
  });
});

describe('PerEventDetector', () => {
  it('sends one conditional put per level key of every event', () => {
    const d = new PerEventDetector(400 * DAY_MS);
    d.add(event(), ['a#k', 'r#k', 'g#k']);
    d.add(event({ eventId: 'e2' }), ['a#k', 'r#k', 'g#k']);
    expect(d.table.putItem).toBe(6);
    expect([...d.firstOccurrences.keys()]).toEqual(['a#k']);
  });
});

describe('RequestFloor', () => {
  it('counts one write per new key and per principal, nothing for a repeat within the refresh intervals', () => {
    const f = new RequestFloor();
    f.add(event());
    f.add(event({ eventId: 'e2', time: T0 + HOUR }));
    expect(f.counts).toMatchObject({ newKeys: 3, refreshes: 0, principals: 1, total: 4 });
  });

  it('counts the role key refresh after a day and every key refresh after 30 days', () => {
    const f = new RequestFloor();
    f.add(event());
    f.add(event({ eventId: 'e2', time: T0 + DAY_MS }));
    expect(f.counts.refreshes).toBe(1);
    f.add(event({ eventId: 'e3', time: T0 + 31 * DAY_MS }));
    expect(f.counts.refreshes).toBe(4);
  });

  it('counts a first success after a failed claim, once per key', () => {
    const f = new RequestFloor();
    f.add(event({ failed: true, errorCode: 'AccessDenied' }));
    f.add(event({ eventId: 'e2', time: T0 + 1000 }));
    f.add(event({ eventId: 'e3', time: T0 + 2000 }));
    expect(f.counts.firstSuccesses).toBe(3);
  });

  it('counts a window return instead of a refresh when the role key was unseen past windowDays', () => {
    const f = new RequestFloor(400, 90);
    f.add(event());
    f.add(event({ eventId: 'e2', time: T0 + 91 * DAY_MS }));
    expect(f.counts.windowReturns).toBe(1);
    expect(f.counts.refreshes).toBe(2);
  });
});

describe('CountingBaselineStore', () => {
  it('counts one request per store call and remembers the keys claims created', async () => {
    const store = new CountingBaselineStore(new InMemoryBaselineStore(), true);
    const key = { level: 'account' as const, pk: 'a#k' };
    const req = { key, eventId: 'e1', time: T0, failed: false, source: 'live' as const, retentionMs: DAY_MS };
    await store.claim(req);
    await store.claim({ ...req, eventId: 'e2' });
    await store.recordSighting('role/app', T0);
    expect(store.counts.claim).toBe(2);
    expect(store.requests).toBe(3);
    expect([...store.claims]).toEqual([['a#k', T0]]);
  });
});

describe('CountingTable', () => {
  it('treats an item past its TTL as absent', () => {
    const t = new CountingTable();
    t.put('k', 100);
    expect(t.get('k', 50)).toBeDefined();
    expect(t.get('k', 101)).toBeUndefined();
    expect(t.putIfAbsent('k', 101, 500)).toBe(true);
    expect(t.putIfAbsent('k', 200, 600)).toBe(false);
    expect(t.reads).toBe(2);
    expect(t.writes).toBe(3);
  });
});

describe('monthlyCostUsd()', () => {
  it('prices writes at 1 WRU and eventually consistent reads at half an RRU', () => {
    // 1 write per event at 1e9 events/day: 1e9 * 365/12 WRU * $0.625 per million.
    expect(monthlyCostUsd({ writesPer1k: 1000, readsPer1k: 0 })).toBeCloseTo(
      (1e9 * (365 / 12) * 0.625) / 1e6,
      2,
    );
    expect(monthlyCostUsd({ writesPer1k: 0, readsPer1k: 1000 })).toBeCloseTo(
      (1e9 * (365 / 12) * 0.5 * 0.125) / 1e6,
      2,
    );
  });
});

describe('NdjsonChunkSource', () => {
  it('cuts a file into chunks at line ends that together hold every line once, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-ndjson-'));
    try {
      const file = join(dir, 'events.ndjson');
      const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i % 37) }));
      writeFileSync(file, `${lines.join('\n')}\n`);
      const source = new NdjsonChunkSource(file, 500);
      const objects = await source.list();
      expect(objects.length).toBeGreaterThan(5);
      let text = '';
      for (const o of objects) {
        const chunk = Buffer.from(await source.read(o)).toString('utf8');
        expect(chunk.endsWith('\n')).toBe(true);
        text += chunk;
      }
      expect(text).toBe(`${lines.join('\n')}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
