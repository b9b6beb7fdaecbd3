import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type BaselineStore,
  type ClaimRequest,
  DAY_MS,
  InMemoryBaselineStore,
  type KeyState,
  type LevelKey,
  TransientStoreError,
} from '@firstseen/core';
import { dummyCredentials, freePort, LOCAL_REGION } from '@firstseen/local-stack';
import { attachFaultInjector, throughputExceeded } from '@firstseen/test-support';
import fc from 'fast-check';
import { attachRequestCounter, DynamoBaselineStore } from '../../src';
import { startTestDynamo, type TestDynamo } from '../helpers/localDynamo';

const RETENTION = 400 * DAY_MS;
// DynamoDB Local runs TTL deletion against the wall clock: event times in the future keep it from
// deleting short-retention test keys in the middle of a test.
const T0 = Date.parse('2100-03-01T12:00:00Z');

let dynamo: TestDynamo;
let store: DynamoBaselineStore;
let keyCounter = 0;

/** A key no other test uses (one shared table). */
function freshKey(level: LevelKey['level'] = 'role'): LevelKey {
  keyCounter++;
  return { level, pk: `r#role/test-${keyCounter}#iam.amazonaws.com:CreateUser` };
}

function claimOf(key: LevelKey, eventId: string, time = T0, failed = false): ClaimRequest {
  return { key, eventId, time, failed, source: 'live', retentionMs: RETENTION };
}

beforeAll(async () => {
  dynamo = await startTestDynamo('store');
  store = new DynamoBaselineStore({ client: dynamo.client, tableName: dynamo.tables.baseline.tableName });
});

afterAll(async () => {
  await dynamo?.stop();
});

describe('claim()', () => {
  it('lets exactly one of 50 concurrent claims of a key win; the others see the winner', async () => {
    const key = freshKey();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.claim(claimOf(key, `e${i}`))),
    );
    const winners = results.filter((r) => r.claimed);
    expect(winners).toHaveLength(1);
    const winnerId = winners[0]?.state.firstEventId;
    expect(results.every((r) => r.state.firstEventId === winnerId)).toBe(true);
  });

  it('returns the stored state of an existing key without claiming it', async () => {
    const key = freshKey();
    await store.claim(claimOf(key, 'first', T0, true));
    const second = await store.claim(claimOf(key, 'second', T0 + 1000));
    expect(second).toStrictEqual({
      claimed: false,
      state: { lastSeen: T0, firstEventId: 'first', succeeded: false, source: 'live' },
    });
  });

  it('claims an expired key anew, to the millisecond, replacing its old state', async () => {
    const key = freshKey();
    const retentionMs = 1_500;
    const t = T0 + 250; // expiry at T0 + 1750: mid-second, so the millisecond tie-break decides
    await store.claim({ ...claimOf(key, 'old', t), retentionMs });
    await store.windowReturn(key, t, 'old-window', t + 1, retentionMs);
    const atExpiry = await store.claim({ ...claimOf(key, 'tie', t + 1 + retentionMs), retentionMs });
    const justAfter = await store.claim({ ...claimOf(key, 'new', t + 2 + retentionMs), retentionMs });
    expect(atExpiry.claimed).toBe(false);
    expect(justAfter).toStrictEqual({
      claimed: true,
      state: {
        lastSeen: t + 2 + retentionMs,
        firstEventId: 'new',
        firstSuccessEventId: 'new',
        succeeded: true,
        source: 'live',
      },
    });
    expect(await store.getKey(key)).toStrictEqual(justAfter.state);
  });

  it('stores the claim source', async () => {
    const key = freshKey();
    await store.claim({ ...claimOf(key, 'r1'), source: 'reconcile' });
    expect((await store.getKey(key))?.source).toBe('reconcile');
  });
});

describe('markSucceeded()', () => {
  it('applies exactly one of 50 concurrent first successes; the others see its eventID', async () => {
    const key = freshKey();
    await store.claim(claimOf(key, 'denied', T0, true));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.markSucceeded(key, `s${i}`, T0 + 1000, RETENTION)),
    );
    const applied = results.filter((r) => r.applied);
    expect(applied).toHaveLength(1);
    const winnerId = applied[0]?.state?.firstSuccessEventId;
    expect(winnerId).toMatch(/^s\d+$/);
    expect(results.every((r) => r.state?.firstSuccessEventId === winnerId && r.state?.succeeded)).toBe(true);
  });

  it('does not create a missing key', async () => {
    const key = freshKey();
    expect(await store.markSucceeded(key, 's', T0, RETENTION)).toStrictEqual({
      applied: false,
      state: undefined,
    });
    expect(await store.getKey(key)).toBeUndefined();
  });
});

describe('windowReturn()', () => {
  it('applies exactly one of 50 concurrent window returns; the others see its eventID', async () => {
    const key = freshKey();
    await store.claim(claimOf(key, 'first'));
    const later = T0 + 100 * DAY_MS;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.windowReturn(key, T0, `w${i}`, later, RETENTION)),
    );
    const applied = results.filter((r) => r.applied);
    expect(applied).toHaveLength(1);
    const winnerId = applied[0]?.state?.windowEventId;
    expect(results.every((r) => r.state?.windowEventId === winnerId)).toBe(true);
    expect(await store.getKey(key)).toMatchObject({
      lastSeen: later,
      windowPreviousSeen: T0,
      windowEventId: winnerId,
    });
  });
});

describe('refresh()', () => {
  it('never moves lastSeen backwards and respects the refresh interval', async () => {
    const key = freshKey();
    await store.claim(claimOf(key, 'first', T0));
    const backwards = await store.refresh(key, T0 - 5_000, RETENTION, DAY_MS);
    const tooSoon = await store.refresh(key, T0 + DAY_MS - 1, RETENTION, DAY_MS);
    const due = await store.refresh(key, T0 + DAY_MS, RETENTION, DAY_MS);
    expect([backwards.applied, tooSoon.applied, due.applied]).toEqual([false, false, true]);
    expect(backwards.state?.lastSeen).toBe(T0);
    expect((await store.getKey(key))?.lastSeen).toBe(T0 + DAY_MS);
  });
});

describe('recordSighting()', () => {
  it('moves a principal first sighting only earlier', async () => {
    const principal = `role/sighting-${++keyCounter}`;
    const results = [
      await store.recordSighting(principal, T0),
      await store.recordSighting(principal, T0 + 10),
      await store.recordSighting(principal, T0 - 10),
      await store.recordSighting(principal, T0),
    ];
    expect(results).toEqual([T0, T0, T0 - 10, T0 - 10]);
  });
});

describe('seedKey()', () => {
  it('puts an absent key as seed and only moves a live key forward', async () => {
    const key = freshKey();
    const seeded: KeyState = { lastSeen: T0, firstEventId: 'h1', succeeded: false, source: 'live' };
    await store.seedKey(key, seeded, RETENTION);
    await store.seedKey(
      key,
      { ...seeded, lastSeen: T0 - DAY_MS, succeeded: true, firstSuccessEventId: 'h0' },
      RETENTION,
    );
    expect(await store.getKey(key)).toStrictEqual({
      lastSeen: T0,
      firstEventId: 'h1',
      succeeded: true,
      firstSuccessEventId: 'h0',
      source: 'seed',
    });
  });
});

describe('conformance with InMemoryBaselineStore', () => {
  type Op =
    | { kind: 'claim'; key: number; eventId: string; time: number; failed: boolean; source: 'live' | 'seed' }
    | { kind: 'markSucceeded'; key: number; eventId: string; time: number }
    | {
        kind: 'windowReturn';
        key: number;
        useStored: boolean;
        expected: number;
        eventId: string;
        time: number;
      }
    | { kind: 'refresh'; key: number; time: number; interval: number }
    | { kind: 'recordSighting'; principal: number; time: number }
    | { kind: 'seedKey'; key: number; time: number; succeeded: boolean }
    | { kind: 'getKey'; key: number; now: number };

  // Times on a 250 ms grid with a 10 s retention put expiry boundaries (equal, same second,
  // next second) in reach of every run.
  const time = fc.integer({ min: 0, max: 120 }).map((i) => T0 + i * 250);
  const key = fc.integer({ min: 0, max: 2 });
  const eventId = fc.constantFrom('e1', 'e2', 'e3', 'e4');
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('claim' as const),
      key,
      eventId,
      time,
      failed: fc.boolean(),
      source: fc.constantFrom('live' as const, 'seed' as const),
    }),
    fc.record({ kind: fc.constant('markSucceeded' as const), key, eventId, time }),
    fc.record({
      kind: fc.constant('windowReturn' as const),
      key,
      useStored: fc.boolean(),
      expected: time,
      eventId,
      time,
    }),
    fc.record({ kind: fc.constant('refresh' as const), key, time, interval: fc.constantFrom(0, 500, 2_000) }),
    fc.record({
      kind: fc.constant('recordSighting' as const),
      principal: fc.integer({ min: 0, max: 1 }),
      time,
    }),
    fc.record({ kind: fc.constant('seedKey' as const), key, time, succeeded: fc.boolean() }),
    fc.record({ kind: fc.constant('getKey' as const), key, now: time }),
  );
  const retentionMs = 10_000;

  async function run(
    s: BaselineStore,
    reference: InMemoryBaselineStore,
    ns: string,
    o: Op,
  ): Promise<unknown> {
    const k = (i: number): LevelKey => ({
      level: 'role',
      pk: `r#conf-${ns}-${i}#s3.amazonaws.com:GetObject`,
    });
    switch (o.kind) {
      case 'claim':
        return s.claim({
          key: k(o.key),
          eventId: o.eventId,
          time: o.time,
          failed: o.failed,
          source: o.source,
          retentionMs,
        });
      case 'markSucceeded':
        return s.markSucceeded(k(o.key), o.eventId, o.time, retentionMs);
      case 'windowReturn': {
        // Read from the reference so that both stores get the same expected value.
        const expected = o.useStored
          ? ((await reference.getKey(k(o.key)))?.lastSeen ?? o.expected)
          : o.expected;
        return s.windowReturn(k(o.key), expected, o.eventId, o.time, retentionMs);
      }
      case 'refresh':
        return s.refresh(k(o.key), o.time, retentionMs, o.interval);
      case 'recordSighting':
        return s.recordSighting(`role/conf-${ns}-${o.principal}`, o.time);
      case 'seedKey': {
        const state: KeyState = {
          lastSeen: o.time,
          firstEventId: 'seed',
          succeeded: o.succeeded,
          source: 'seed',
        };
        if (o.succeeded) state.firstSuccessEventId = 'seed';
        return s.seedKey(k(o.key), state, retentionMs);
      }
      case 'getKey':
        return s.getKey(k(o.key), o.now);
    }
  }

  it('gives the same result as the in-memory store for every operation sequence', async () => {
    let runNo = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
        const ns = `${++runNo}-${++keyCounter}`;
        const memory = new InMemoryBaselineStore();
        for (const o of ops) {
          // Dynamo first: the reference must still hold the state from before this operation.
          const actual = await run(store, memory, ns, o);
          const expected = await run(memory, memory, ns, o);
          expect({ op: o, result: actual }).toStrictEqual({ op: o, result: expected });
        }
      }),
      { numRuns: 15 },
    );
  }, 180_000);
});

describe('failures', () => {
  it('surfaces injected throttling as TransientStoreError for the chosen key only', async () => {
    const client = dynamo.newClient();
    const throttled = freshKey();
    const other = freshKey();
    attachFaultInjector(client, (command, input) =>
      command === 'PutItemCommand' && (input.Item as { pk?: string } | undefined)?.pk === throttled.pk
        ? throughputExceeded()
        : undefined,
    );
    const s = new DynamoBaselineStore({ client, tableName: dynamo.tables.baseline.tableName });
    const failure = s.claim(claimOf(throttled, 'e1'));
    await expect(failure).rejects.toBeInstanceOf(TransientStoreError);
    await expect(failure).rejects.toHaveProperty('cause.name', 'ProvisionedThroughputExceededException');
    expect((await s.claim(claimOf(other, 'e1'))).claimed).toBe(true);
  });

  it('surfaces a refused connection as TransientStoreError', async () => {
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${await freePort()}`,
      region: LOCAL_REGION,
      credentials: dummyCredentials,
      maxAttempts: 1,
    });
    const s = new DynamoBaselineStore({ client, tableName: dynamo.tables.baseline.tableName });
    await expect(s.claim(claimOf(freshKey(), 'e1'))).rejects.toBeInstanceOf(TransientStoreError);
    client.destroy();
  });

  it('makes one request per transition, a failed claim included', async () => {
    const client = dynamo.newClient();
    const counter = attachRequestCounter(client);
    const s = new DynamoBaselineStore({ client, tableName: dynamo.tables.baseline.tableName });
    const key = freshKey();
    await s.claim(claimOf(key, 'e1', T0, true));
    await s.claim(claimOf(key, 'e2', T0 + 1));
    await s.markSucceeded(key, 'e2', T0 + 1, RETENTION);
    expect(counter.byCommand()).toEqual({ PutItemCommand: 2, UpdateItemCommand: 1 });
  });
});
