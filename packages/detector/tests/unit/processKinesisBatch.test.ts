import { TransientStoreError } from '@firstseen/core';
import {
  cloudTrailRecord,
  eventBridgeEnvelope,
  faultyStore,
  inMemoryDetector,
  type KinesisPayload,
  kinesisEvent,
  mergeEvents,
  redelivery,
  sequenceNumber,
} from '@firstseen/test-support';
import { processKinesisBatch } from '../../src/processKinesisBatch';

const ACTIONS = ['CreateUser', 'ListUsers', 'GetRole', 'TagRole', 'ListRoles'];

/** n valid records over a few principals and actions, with repeats (so some fire, some don't). */
function validPayloads(n: number, prefix = 'ev'): KinesisPayload[] {
  return Array.from({ length: n }, (_, i) => {
    const record = cloudTrailRecord({
      eventId: `${prefix}-${i}`,
      role: `role-${i % 4}`,
      eventName: ACTIONS[i % ACTIONS.length],
      eventTime: `2024-05-01T12:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    });
    return i % 3 === 0 ? eventBridgeEnvelope(record) : record;
  });
}

function sortedAlertIds(outbox: { alerts: Map<string, unknown> }): string[] {
  return [...outbox.alerts.keys()].sort();
}

/** 1 MiB (Kinesis's largest record) of deterministic non-UTF-8 garbage. */
const GARBAGE = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, i) => (i * 7919 + 0x93) & 0xff));

describe('processKinesisBatch()', () => {
  describe('poison records', () => {
    const missingTime = cloudTrailRecord({ eventId: 'no-time' });
    delete missingTime.eventTime;
    const poison: Record<number, KinesisPayload> = {
      7: { rawData: '!!!not base64@@' },
      23: '{"eventID": "x", "eventSource": ',
      41: missingTime,
      66: GARBAGE,
      88: '[1, 2, 3]',
    };
    const payloads = validPayloads(100).map((p, i) => poison[i] ?? p);

    it('acknowledges a batch with 5% poison records and quarantines exactly those, with reasons', async () => {
      const d = inMemoryDetector();
      const res = await processKinesisBatch(kinesisEvent(payloads), d.deps);

      expect(res.batchItemFailures).toEqual([]);
      const quarantined = [...d.quarantine.items.values()].map((q) => [q.sequenceNumber, q.reason]);
      expect(quarantined.sort()).toEqual(
        [
          [sequenceNumber(7), 'bad-encoding'],
          [sequenceNumber(23), 'bad-json'],
          [sequenceNumber(41), 'missing-eventTime'],
          [sequenceNumber(66), 'bad-encoding'],
          [sequenceNumber(88), 'not-object'],
        ].sort(),
      );
      expect(d.outbox.alerts.size).toBeGreaterThan(0);
    });

    it('keeps the raw bytes of a quarantined record, or the verbatim data when it was not base64', async () => {
      const d = inMemoryDetector();
      await processKinesisBatch(kinesisEvent(payloads), d.deps);

      const items = [...d.quarantine.items.values()];
      const garbage = items.find((q) => q.sequenceNumber === sequenceNumber(66))!;
      expect(Buffer.from(garbage.data as Uint8Array).equals(poison[66] as Buffer)).toBe(true);
      const badBase64 = items.find((q) => q.sequenceNumber === sequenceNumber(7))!;
      expect(badBase64.data).toBe('!!!not base64@@');
      expect(badBase64.shardId).toBe('shardId-000000000000');
    });

    it('never logs the data of a quarantined record', async () => {
      const d = inMemoryDetector();
      await processKinesisBatch(kinesisEvent(payloads), d.deps);

      const quarantineLogs = d.logs.entries.filter((e) => e.msg === 'record quarantined');
      expect(quarantineLogs).toHaveLength(5);
      expect(quarantineLogs.every((e) => typeof e.sequenceNumber === 'string')).toBe(true);
      expect(d.logs.lines.some((l) => l.includes('"eventSource": '))).toBe(false);
      expect(d.logs.lines.every((l) => l.length < 4096)).toBe(true);
    });
  });

  it('yields exactly the alerts of one delivery when the same batch is delivered twice', async () => {
    const event = kinesisEvent(validPayloads(60));
    const once = inMemoryDetector();
    await processKinesisBatch(event, once.deps);

    const twice = inMemoryDetector();
    await processKinesisBatch(event, twice.deps);
    const second = await processKinesisBatch(event, twice.deps);

    expect(second.batchItemFailures).toEqual([]);
    expect(sortedAlertIds(twice.outbox)).toEqual(sortedAlertIds(once.outbox));
    expect([...twice.outbox.alerts.values()]).toEqual([...once.outbox.alerts.values()]);
  });

  it('re-fires a redelivered event from a fresh process (cold cache) and writes its alert once', async () => {
    const event = kinesisEvent(validPayloads(30));
    const first = inMemoryDetector();
    await processKinesisBatch(event, first.deps);
    const alertsAfterFirst = first.outbox.alerts.size;

    const coldSameState = inMemoryDetector({ store: first.store, outbox: first.outbox });
    await processKinesisBatch(event, coldSameState.deps);
    const putsOnRedelivery = first.outbox.puts - alertsAfterFirst;

    expect(first.outbox.alerts.size).toBe(alertsAfterFirst);
    expect(putsOnRedelivery).toBe(alertsAfterFirst);
  });

  it('reports a record whose outbox write fails after its claims, and the redelivery writes its alert once', async () => {
    const event = kinesisEvent(validPayloads(40));
    const clean = inMemoryDetector();
    await processKinesisBatch(event, clean.deps);
    const victim = [...clean.outbox.alerts.keys()][3]!;
    const victimSeq = event.Records[Number(victim.split('-')[1])]!.kinesis.sequenceNumber;

    let injected = false;
    const d = inMemoryDetector({
      wrapOutbox: (outbox) => ({
        put: async (alert) => {
          if (alert.alertId === victim && !injected) {
            injected = true;
            throw new TransientStoreError('injected: outbox write timed out');
          }
          return outbox.put(alert);
        },
      }),
    });
    const res = await processKinesisBatch(event, d.deps);

    expect(res.batchItemFailures[0]?.itemIdentifier).toBe(victimSeq);
    expect(d.outbox.alerts.has(victim)).toBe(false);

    const retry = await processKinesisBatch(redelivery(event, res), d.deps);
    expect(retry.batchItemFailures).toEqual([]);
    expect(sortedAlertIds(d.outbox)).toEqual(sortedAlertIds(clean.outbox));
    expect(d.outbox.alerts.get(victim)).toEqual(clean.outbox.alerts.get(victim));
  });

  describe('throttling', () => {
    const shardA = kinesisEvent(validPayloads(30, 'a'), { shardId: 'shardId-000000000000' });
    const shardB = kinesisEvent(
      validPayloads(30, 'b').map((p) => {
        const r = (p as Record<string, unknown>).detail ?? p;
        (r as Record<string, unknown>).userIdentity = cloudTrailRecord({
          eventId: 'x',
          role: 'other',
        }).userIdentity;
        return p;
      }),
      { shardId: 'shardId-000000000001', firstSequence: 1000 },
    );
    const event = mergeEvents(shardA, shardB);
    const throttled = 'a-9';
    const throttleOnce = () => {
      let thrown = false;
      return (method: string, args: unknown[]) => {
        const req = args[0] as { eventId?: string };
        if (method === 'claim' && req.eventId === throttled && !thrown) {
          thrown = true;
          return new TransientStoreError('injected: ProvisionedThroughputExceededException');
        }
        return undefined;
      };
    };

    it('reports only the throttled record and those after it in its shard', async () => {
      const d = inMemoryDetector({ wrapStore: (s) => faultyStore(s, throttleOnce()) });
      const res = await processKinesisBatch(event, d.deps);

      const expected = shardA.Records.slice(9).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber }));
      expect(res.batchItemFailures).toEqual(expected);
    });

    it('completes on retry with nothing lost', async () => {
      const clean = inMemoryDetector();
      await processKinesisBatch(event, clean.deps);
      const d = inMemoryDetector({ wrapStore: (s) => faultyStore(s, throttleOnce()) });

      const res = await processKinesisBatch(event, d.deps);
      const retry = await processKinesisBatch(redelivery(event, res), d.deps);

      expect(retry.batchItemFailures).toEqual([]);
      expect([...d.outbox.alerts.values()].sort((x, y) => x.alertId.localeCompare(y.alertId))).toEqual(
        [...clean.outbox.alerts.values()].sort((x, y) => x.alertId.localeCompare(y.alertId)),
      );
    });

    it("holds back the throttled principal's later events so its first occurrence still claims", async () => {
      const first = cloudTrailRecord({ eventId: 'first', role: 'p', eventTime: '2024-05-01T12:00:00Z' });
      const repeat = cloudTrailRecord({ eventId: 'repeat', role: 'p', eventTime: '2024-05-01T12:00:01Z' });
      const ev = kinesisEvent([first, repeat]);
      let throttling = true;
      const d = inMemoryDetector({
        wrapStore: (s) =>
          faultyStore(s, (method, args) =>
            throttling && method === 'claim' && (args[0] as { eventId: string }).eventId === 'first'
              ? new TransientStoreError('injected throttle')
              : undefined,
          ),
      });

      const res = await processKinesisBatch(ev, d.deps);
      throttling = false;
      await processKinesisBatch(redelivery(ev, res), d.deps);

      expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
        sequenceNumber(0),
        sequenceNumber(1),
      ]);
      expect(sortedAlertIds(d.outbox)).toEqual(['first']);
    });
  });

  it('keeps the first alert in arrival order when two principals reuse one eventID', async () => {
    const event = kinesisEvent([
      cloudTrailRecord({ eventId: 'a-1', role: 'a', eventName: 'GetRole' }),
      cloudTrailRecord({ eventId: 'a-2', role: 'a', eventName: 'TagRole' }),
      cloudTrailRecord({ eventId: 'dup', role: 'a', eventName: 'CreateUser' }),
      cloudTrailRecord({ eventId: 'dup', role: 'b', eventName: 'ListUsers' }),
    ]);
    const d = inMemoryDetector();

    await processKinesisBatch(event, d.deps);

    expect(d.outbox.alerts.get('dup')?.principal).toBe('role/a');
  });

  it('quarantines a record whose processing throws an unexpected error and acknowledges the batch', async () => {
    const event = kinesisEvent(validPayloads(10));
    const d = inMemoryDetector({
      wrapStore: (s) =>
        faultyStore(s, (method, args) =>
          method === 'claim' && (args[0] as { eventId: string }).eventId === 'ev-4'
            ? new TypeError("Cannot read properties of undefined (reading 'lastSeen')")
            : undefined,
        ),
    });

    const res = await processKinesisBatch(event, d.deps);

    expect(res.batchItemFailures).toEqual([]);
    const items = [...d.quarantine.items.values()];
    expect(items.map((q) => [q.sequenceNumber, q.reason])).toEqual([[sequenceNumber(4), 'processing-error']]);
    expect(items[0]!.detail).toContain('TypeError');
  });

  it('reports a poison record for retry when its quarantine write fails', async () => {
    const event = kinesisEvent([...validPayloads(3), { rawData: '%%%' }, ...validPayloads(2, 'late')]);
    const d = inMemoryDetector({
      wrapQuarantine: () => ({
        put: async () => {
          throw new Error('S3 unavailable');
        },
      }),
    });

    const res = await processKinesisBatch(event, d.deps);

    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([3, 4, 5].map(sequenceNumber));
  });

  it('costs no store request for a warm batch of repeated events', async () => {
    const repeated = (prefix: string) =>
      Array.from({ length: 1000 }, (_, i) =>
        cloudTrailRecord({ eventId: `${prefix}-${i}`, role: 'busy', eventName: 'ListUsers' }),
      );
    const d = inMemoryDetector();
    await processKinesisBatch(kinesisEvent(repeated('warmup').slice(0, 1)), d.deps);
    const writesBefore = d.store.writes;

    await processKinesisBatch(kinesisEvent(repeated('hot')), d.deps);

    expect(d.store.writes).toBe(writesBefore);
    const emf = JSON.parse(d.metrics[1]!) as Record<string, number>;
    expect(emf.storeRequests).toBe(0);
    expect(emf.cacheHits).toBe(3000);
  });

  it('emits one Embedded Metric Format line per invocation with every count', async () => {
    const ignored = { ...cloudTrailRecord({ eventId: 'svc' }), userIdentity: { type: 'AWSService' } };
    const event = kinesisEvent([
      cloudTrailRecord({ eventId: 'e1', eventName: 'CreateUser' }),
      cloudTrailRecord({ eventId: 'e2', eventName: 'CreateUser' }),
      ignored,
      'not json',
    ]);
    const d = inMemoryDetector();

    await processKinesisBatch(event, d.deps);

    expect(d.metrics).toHaveLength(1);
    const emf = JSON.parse(d.metrics[0]!) as Record<string, unknown> & {
      _aws: {
        Timestamp: number;
        CloudWatchMetrics: {
          Namespace: string;
          Dimensions: string[][];
          Metrics: { Name: string; Unit: string }[];
        }[];
      };
    };
    const directive = emf._aws.CloudWatchMetrics[0]!;
    expect(emf._aws.Timestamp).toBe(Date.UTC(2024, 4, 1, 12, 0, 0));
    expect(directive.Namespace).toBe('Firstseen');
    expect(directive.Dimensions).toEqual([['FunctionName']]);
    expect(emf.FunctionName).toBe('firstseen-detector-test');
    const names = directive.Metrics.map((m) => m.Name);
    expect(names).toEqual(
      expect.arrayContaining([
        'records',
        'observed',
        'ignored',
        'invalid',
        'storeRequests',
        'cacheHits',
        'dynamodbRequests',
        'alerts',
        'failed',
      ]),
    );
    for (const n of names) expect(typeof emf[n]).toBe('number');
    expect(emf).toMatchObject({
      records: 4,
      observed: 2,
      ignored: 1,
      invalid: 1,
      alerts: 1,
      failed: 0,
      quarantined: 1,
    });
  });

  it('counts DynamoDB requests as the difference of the request counter over the invocation', async () => {
    let requests = 100;
    const d = inMemoryDetector();
    d.deps.dynamodbRequests = () => requests;
    const outbox = d.deps.outbox;
    d.deps.outbox = {
      put: async (a) => {
        requests += 1;
        return outbox.put(a);
      },
    };

    await processKinesisBatch(kinesisEvent([cloudTrailRecord({ eventId: 'e1' })]), d.deps);

    expect((JSON.parse(d.metrics[0]!) as { dynamodbRequests: number }).dynamodbRequests).toBe(1);
  });
});
