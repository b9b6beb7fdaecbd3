import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Alert } from '@firstseen/core';
import { attachRequestCounter, DynamoAlertOutbox, DynamoBaselineStore, HeartbeatStore } from '../../src';
import { HEARTBEAT_INTERVAL_MS } from '../../src/HeartbeatStore';
import { startTestDynamo, type TestDynamo } from '../helpers/localDynamo';

// In the future, so DynamoDB Local's TTL deletion (wall clock) leaves the test items alone.
const NOW = Date.parse('2100-03-01T12:00:00Z');

let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo('outbox');
});

afterAll(async () => {
  await dynamo?.stop();
});

function alertFor(eventId: string): Alert {
  return {
    alertId: eventId,
    eventId,
    eventTime: '2025-03-01T11:59:58Z',
    principal: 'role/deploy',
    account: '111122223333',
    region: 'eu-west-1',
    action: 'iam.amazonaws.com:CreateUser',
    levels: ['account', 'role'],
    severity: 'high',
    identityType: 'AssumedRole',
    sessionName: 'ci',
    sensitive: true,
    source: 'live',
    context: { explanation: { similar: ['iam.amazonaws.com:CreateRole'] } },
  };
}

describe('DynamoAlertOutbox', () => {
  it('creates one item for an alert put twice, and the first put stands', async () => {
    const outbox = new DynamoAlertOutbox({
      client: dynamo.client,
      tableName: dynamo.tables.alerts.tableName,
      clock: () => NOW,
    });
    const alert = alertFor('evt-twice');
    const first = await outbox.put(alert, 90);
    const second = await outbox.put({ ...alert, severity: 'low' }, 90);
    const { Items } = await dynamo.client.send(
      new ScanCommand({ TableName: dynamo.tables.alerts.tableName }),
    );
    expect([first, second]).toEqual([true, false]);
    expect(Items?.filter((i) => i.pk?.S === 'evt-twice')).toHaveLength(1);
    expect((await outbox.get('evt-twice'))?.severity).toBe('high');
  });

  it('stores the alert fields, its context as a map, createdAt and a TTL in epoch seconds', async () => {
    const outbox = new DynamoAlertOutbox({
      client: dynamo.client,
      tableName: dynamo.tables.alerts.tableName,
      clock: () => NOW,
    });
    const alert = alertFor('evt-fields');
    await outbox.put(alert, 30);
    const stored = await outbox.get('evt-fields');
    expect(stored).toStrictEqual({
      ...alert,
      pk: 'evt-fields',
      createdAt: NOW,
      expiresAt: Math.floor(NOW / 1000) + 30 * 86_400,
    });
  });
});

describe('HeartbeatStore', () => {
  it('writes a pair at most once per five minutes per process', async () => {
    const client = dynamo.newClient();
    const counter = attachRequestCounter(client);
    let now = NOW;
    const heartbeats = new HeartbeatStore({
      client,
      tableName: dynamo.tables.baseline.tableName,
      clock: () => now,
    });
    const written = [
      await heartbeats.record('111122223333', 'eu-west-1', NOW - 3_000),
      await heartbeats.record('111122223333', 'eu-west-1', NOW - 2_000),
    ];
    now += HEARTBEAT_INTERVAL_MS - 1;
    written.push(await heartbeats.record('111122223333', 'eu-west-1', NOW - 1_000));
    now += 1;
    written.push(await heartbeats.record('111122223333', 'eu-west-1', NOW - 1_500));
    expect(written).toEqual([true, false, false, true]);
    expect(counter.count('UpdateItemCommand')).toBe(2);
    // The due write carried the latest event time seen meanwhile, not the last one passed.
    const listed = await heartbeats.getHeartbeats([{ account: '111122223333', region: 'eu-west-1' }]);
    expect(listed.find((h) => h.region === 'eu-west-1')).toEqual({
      account: '111122223333',
      region: 'eu-west-1',
      lastEventTime: NOW - 1_000,
      updatedAt: now,
    });
  });

  it('only moves the stored event time forward across processes', async () => {
    const tableName = dynamo.tables.baseline.tableName;
    const a = new HeartbeatStore({ client: dynamo.client, tableName, clock: () => NOW });
    const b = new HeartbeatStore({ client: dynamo.client, tableName, clock: () => NOW });
    await a.record('444455556666', 'us-east-2', NOW);
    await b.record('444455556666', 'us-east-2', NOW - 60_000);
    const listed = await a.getHeartbeats([{ account: '444455556666', region: 'us-east-2' }]);
    expect(listed.find((h) => h.account === '444455556666')?.lastEventTime).toBe(NOW);
  });

  it('reads heartbeats by key: one item per pair asked, whatever else the table holds', async () => {
    const tableName = dynamo.tables.baseline.tableName;
    const client = dynamo.newClient();
    const counter = attachRequestCounter(client);
    const heartbeats = new HeartbeatStore({ client, tableName, clock: () => NOW });
    await heartbeats.record('777788889999', 'ap-south-1', NOW);
    await new DynamoBaselineStore({ client: dynamo.client, tableName }).claim({
      key: { level: 'account', pk: 'a#777788889999#role/x#s3.amazonaws.com:GetObject' },
      eventId: 'e',
      time: NOW,
      failed: false,
      source: 'live',
      retentionMs: 1_000_000,
    });
    counter.reset();
    const pairs = Array.from({ length: 150 }, (_, i) => ({
      account: String(100000000000 + i),
      region: 'eu-north-1',
    }));
    const got = await heartbeats.getHeartbeats([...pairs, { account: '777788889999', region: 'ap-south-1' }]);
    expect(got.map((h) => `${h.account}/${h.region}/${h.lastEventTime}`)).toEqual([
      `777788889999/ap-south-1/${NOW}`,
    ]);
    // 151 keys: two BatchGetItem requests, no Scan.
    expect(counter.byCommand()).toEqual({ BatchGetItemCommand: 2 });
  });

  it('marks a pair expected once and keeps the first time across detector writes', async () => {
    const tableName = dynamo.tables.baseline.tableName;
    const heartbeats = new HeartbeatStore({ client: dynamo.client, tableName, clock: () => NOW });
    const pair = { account: '121212121212', region: 'sa-east-1' };
    await heartbeats.markExpected([pair], NOW - 10_000);
    await heartbeats.markExpected([pair], NOW);
    expect(await heartbeats.getHeartbeats([pair])).toEqual([{ ...pair, expectedSince: NOW - 10_000 }]);
    await heartbeats.record(pair.account, pair.region, NOW - 5_000);
    expect(await heartbeats.getHeartbeats([pair])).toEqual([
      { ...pair, expectedSince: NOW - 10_000, lastEventTime: NOW - 5_000, updatedAt: NOW },
    ]);
  });
});
