import {
  createKeyCache,
  DAY_MS,
  DetectionEngine,
  MAX_BUCKET_NAME_LENGTH,
  type ObservedEvent,
  parseConfig,
  resourceKey,
} from '@firstseen/core';
import { DynamoBaselineStore } from '../../src';
import { startTestDynamo, type TestDynamo } from '../helpers/localDynamo';

// The opt-in `resource` level (docs/semantics.md "Levels and keys") on the real conditional
// writes of DynamoBaselineStore against DynamoDB Local: its `b#` keys go through the same
// claim / first-success / refresh transitions as the other levels.

// DynamoDB Local deletes by TTL against the wall clock: keep event times in the future.
const T0 = Date.parse('2100-03-01T12:00:00Z');

let dynamo: TestDynamo;
let store: DynamoBaselineStore;
let n = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo('resource');
  store = new DynamoBaselineStore({ client: dynamo.client, tableName: dynamo.tables.baseline.tableName });
});

afterAll(async () => {
  await dynamo?.stop();
});

function s3Event(
  principal: string,
  eventName: string,
  bucket: string,
  at = 0,
  failed = false,
): ObservedEvent {
  n++;
  const time = T0 + Math.round(at * DAY_MS);
  const e: ObservedEvent = {
    eventId: `ev-${n}`,
    eventTime: new Date(time).toISOString(),
    time,
    account: '111122223333',
    region: 'us-east-1',
    eventSource: 's3.amazonaws.com',
    eventName,
    action: `s3.amazonaws.com:${eventName}`,
    principal,
    identityType: 'AssumedRole',
    failed,
    record: { requestParameters: { bucketName: bucket, key: 'x.csv' } },
  };
  if (failed) e.errorCode = 'AccessDenied';
  return e;
}

function engine() {
  return new DetectionEngine({
    store,
    config: parseConfig({ burnInDays: 0, levels: { resource: true } }),
    cache: createKeyCache({ maxKeys: 1000 }),
  });
}

describe('resource level on DynamoDB Local', () => {
  it('fires resource exactly once when two engines race on the same new bucket', async () => {
    const p = 'role/racer';
    await engine().detect(s3Event(p, 'GetObject', 'app-assets'));
    const events = Array.from({ length: 10 }, (_, i) => s3Event(p, 'GetObject', 'payroll', 0.1 + i / 1e4));
    const [a, b] = [engine(), engine()];
    const detections = await Promise.all(events.map((e, i) => (i % 2 ? a : b).detect(e)));
    const fired = detections.filter((d) => d.fired.includes('resource'));
    expect(fired).toHaveLength(1);
    expect(fired[0]?.alert?.levels).toEqual(['resource']);
    expect(fired[0]?.alert?.resource).toBe('s3:payroll');
    const stored = await store.getKey(resourceKey(p, 'payroll'));
    expect(stored?.firstEventId).toBe(fired[0]?.eventId);
  });

  it('fires for the first success after denied calls, then refreshes after 30 days', async () => {
    const p = 'role/prober';
    const e = engine();
    await e.detect(s3Event(p, 'GetObject', 'known'));
    expect((await e.detect(s3Event(p, 'GetObject', 'vault', 0.1, true))).fired).toEqual(['resource']);
    const ok = await e.detect(s3Event(p, 'GetObject', 'vault', 0.2));
    expect(ok.fired).toEqual(['resource']);
    expect(ok.alert?.firstSuccessAfterFailure).toBe(true);
    const later = s3Event(p, 'GetObject', 'vault', 31);
    await engine().detect(later);
    expect((await store.getKey(resourceKey(p, 'vault')))?.lastSeen).toBe(later.time);
  });

  it('stores a key for the longest bucket name it keys on (the bound stays under the 2,048-byte key limit)', async () => {
    const p = `role/${'p'.repeat(500)}`;
    const bucket = 'b'.repeat(MAX_BUCKET_NAME_LENGTH);
    const d = await engine().detect(s3Event(p, 'GetObject', bucket));
    expect(d.fired).toContain('resource');
    expect(await store.getKey(resourceKey(p, bucket))).toBeDefined();
  });
});
