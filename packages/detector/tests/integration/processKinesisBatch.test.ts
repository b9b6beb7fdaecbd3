import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { type Alert, toEventBridgeEnvelope } from '@firstseen/core';
import { type LocalEmulators, startLocalEmulators } from '@firstseen/local-stack';
import {
  attachFaultInjector,
  cloudTrailRecord,
  eventBridgeEnvelope,
  inMemoryDetector,
  type KinesisPayload,
  kinesisEvent,
  lastMetrics,
  listQuarantine,
  localDetector,
  mergeEvents,
  redelivery,
  rootStopLogging,
  scanAlerts,
  sequenceNumber,
  throughputExceeded,
} from '@firstseen/test-support';
import { processKinesisBatch } from '../../src/processKinesisBatch';

const ACTIONS = ['CreateUser', 'ListUsers', 'GetRole', 'TagRole', 'ListRoles'];

function validPayloads(n: number, prefix: string, role = 'role'): KinesisPayload[] {
  return Array.from({ length: n }, (_, i) => {
    const record = cloudTrailRecord({
      eventId: `${prefix}-${i}`,
      role: `${role}-${i % 3}`,
      eventName: ACTIONS[i % ACTIONS.length],
      eventTime: `2024-05-01T12:00:${String(i % 60).padStart(2, '0')}Z`,
    });
    return i % 2 === 0 ? eventBridgeEnvelope(record) : record;
  });
}

/** The alerts the in-memory engine gives for the same event (the reference). */
async function referenceAlerts(event: Parameters<typeof processKinesisBatch>[0]) {
  const ref = inMemoryDetector();
  await processKinesisBatch(event, ref.deps);
  return [...ref.outbox.alerts.values()].sort((a, b) => a.alertId.localeCompare(b.alertId));
}

/**
 * The alerts without `context`: the explain feature's counts across principals depend on how
 * concurrently running principals interleave, so only the detection itself is compared; the
 * detector must still have explained every alert.
 */
function detectionOnly(alerts: Alert[]): Omit<Alert, 'context'>[] {
  return alerts.map(({ context, ...rest }) => {
    expect(typeof context['explanation']).toBe('string');
    return rest;
  });
}

let emulators: LocalEmulators;

beforeAll(async () => {
  emulators = await startLocalEmulators({ dynamodb: true, s3: true, kinesis: false });
}, 120_000);

afterAll(async () => {
  await emulators?.stop();
});

describe('processKinesisBatch() against DynamoDB Local and s3rver', () => {
  it('yields exactly the alerts of one delivery when the same batch is delivered twice', async () => {
    const event = kinesisEvent(validPayloads(40, 'twice'));
    const first = await localDetector(emulators);
    const second = first.fresh();

    const r1 = await processKinesisBatch(event, first.deps);
    const r2 = await processKinesisBatch(event, second.deps);

    expect([r1.batchItemFailures, r2.batchItemFailures]).toEqual([[], []]);
    expect(detectionOnly(await scanAlerts(emulators.clients.dynamodb!, first.tables.alerts))).toEqual(
      (await referenceAlerts(event)).map(({ context: _c, ...rest }) => rest),
    );
    expect(lastMetrics(second)).toMatchObject({ alerts: 0, duplicateAlerts: lastMetrics(first).alerts });
  });

  it('reports a record whose outbox write fails after its claims, and the redelivery writes its alert once', async () => {
    const event = kinesisEvent(validPayloads(30, 'outbox'));
    const expected = await referenceAlerts(event);
    const victim = expected[2]!.alertId;
    const d = await localDetector(emulators);
    const fault = attachFaultInjector(d.dynamodb, (_cmd, input) => {
      const item = input.Item as { pk?: string } | undefined;
      return input.TableName === d.tables.alerts && item?.pk === victim ? throughputExceeded() : undefined;
    });

    const res = await processKinesisBatch(event, d.deps);
    fault.detach();
    const retry = await processKinesisBatch(redelivery(event, res), d.fresh().deps);
    expect(fault.injected).toBe(1);
    expect(res.batchItemFailures[0]?.itemIdentifier).toBe(sequenceNumber(Number(victim.split('-')[1])));
    expect(retry.batchItemFailures).toEqual([]);
    expect(detectionOnly(await scanAlerts(emulators.clients.dynamodb!, d.tables.alerts))).toEqual(
      expected.map(({ context: _c, ...rest }) => rest),
    );
  });

  it('reports only the throttled record and those after it in its shard, and a retry loses nothing', async () => {
    const shardA = kinesisEvent(validPayloads(20, 'a', 'ra'), { shardId: 'shardId-000000000000' });
    const shardB = kinesisEvent(validPayloads(20, 'b', 'rb'), {
      shardId: 'shardId-000000000001',
      firstSequence: 500,
    });
    const event = mergeEvents(shardA, shardB);
    const expected = await referenceAlerts(event);
    const d = await localDetector(emulators);
    let throttle = true;
    attachFaultInjector(d.dynamodb, (_cmd, input) => {
      const item = input.Item as { firstEventId?: string } | undefined;
      return throttle && input.TableName === d.tables.baseline && item?.firstEventId === 'a-7'
        ? throughputExceeded()
        : undefined;
    });

    const res = await processKinesisBatch(event, d.deps);
    throttle = false;
    const retry = await processKinesisBatch(redelivery(event, res), d.deps);

    expect(res.batchItemFailures).toEqual(
      shardA.Records.slice(7).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
    );
    expect(retry.batchItemFailures).toEqual([]);
    expect(detectionOnly(await scanAlerts(emulators.clients.dynamodb!, d.tables.alerts))).toEqual(
      expected.map(({ context: _c, ...rest }) => rest),
    );
  });

  it('writes poison records to the S3 quarantine with their reasons and acknowledges the batch', async () => {
    const missingTime = cloudTrailRecord({ eventId: 'no-time' });
    delete missingTime.eventTime;
    const garbage = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, i) => (i * 7919 + 0x93) & 0xff));
    const poison: Record<number, KinesisPayload> = {
      3: { rawData: '#not-base64#' },
      11: '{"broken": ',
      12: missingTime,
      19: garbage,
    };
    const payloads = validPayloads(80, 'poison').map((p, i) => poison[i] ?? p);
    const d = await localDetector(emulators);

    const res = await processKinesisBatch(
      kinesisEvent(payloads, { approximateArrivalTimestamp: 1_714_608_000 }),
      d.deps,
    );

    expect(res.batchItemFailures).toEqual([]);
    const objects = await listQuarantine(d.s3, d.bucket);
    expect(objects.map((o) => [o.key, o.body.reason])).toEqual(
      [
        [3, 'bad-encoding'],
        [11, 'bad-json'],
        [12, 'missing-eventTime'],
        [19, 'bad-encoding'],
      ].map(([i, reason]) => [
        `quarantine/2024/05/02/shardId-000000000000/${sequenceNumber(i as number)}.json`,
        reason,
      ]),
    );
    const big = objects.find((o) => o.body.sequenceNumber === sequenceNumber(19))!;
    expect(Buffer.from(big.body.data as string, 'base64').equals(garbage)).toBe(true);
  });

  it('makes zero DynamoDB requests for a warm batch of 1,000 repeated events', async () => {
    const repeated = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        cloudTrailRecord({ eventId: `${prefix}-${i}`, role: 'busy', eventName: 'ListUsers' }),
      );
    const d = await localDetector(emulators);
    await processKinesisBatch(kinesisEvent(repeated('warm', 1)), d.deps);
    const before = d.requestCounter.count();

    await processKinesisBatch(kinesisEvent(repeated('hot', 1000), { firstSequence: 1 }), d.deps);

    expect(d.requestCounter.count() - before).toBe(0);
    expect(lastMetrics(d)).toMatchObject({
      observed: 1000,
      dynamodbRequests: 0,
      storeRequests: 0,
      cacheHits: 3000,
    });
  });

  it('claims no key and writes no alert for forged envelopes (custom source), and the real event still alerts', async () => {
    const d = await localDetector(emulators);
    const forged = ['custom.cloudtrail', 'evil.aws.cloudtrail', 'AWS.cloudtrail', ''].map((source, i) => ({
      ...toEventBridgeEnvelope(rootStopLogging(`forged-${i}`)),
      source,
      account: '444455556666',
    }));
    const dynamodb = emulators.clients.dynamodb!;
    const count = async (table: string) =>
      (await dynamodb.send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true })))
        .Count;

    await processKinesisBatch(kinesisEvent(forged), d.deps);

    expect(await count(d.tables.baseline)).toBe(0);
    expect(await count(d.tables.alerts)).toBe(0);
    expect(lastMetrics(d)).toMatchObject({ untrustedSource: 4, observed: 0, dynamodbRequests: 0 });

    await processKinesisBatch(kinesisEvent([toEventBridgeEnvelope(rootStopLogging('real'))]), d.deps);

    const alerts = await scanAlerts(dynamodb, d.tables.alerts);
    expect(alerts.map((a) => [a.eventId, a.principal, a.severity])).toEqual([
      ['real', 'root/111122223333', 'high'],
    ]);
  });
});
