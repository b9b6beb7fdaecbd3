import { DAY_MS, type KeyState, type LevelKey } from '@firstseen/core';
import { attachRequestCounter, DynamoBaselineStore, type WritePacer } from '../../src';
import { startTestDynamo, type TestDynamo } from '../helpers/localDynamo';

const RETENTION = 400 * DAY_MS;
const T0 = Date.parse('2100-03-01T12:00:00Z');

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo('pacer');
}, 180_000);
afterAll(async () => {
  await dynamo?.stop();
});

/** A pacer that records what the store charges before each request and after it. */
class RecordingPacer implements WritePacer {
  readonly before: number[] = [];
  readonly after: number[] = [];
  run<T>(write: () => Promise<T>, writeUnits: number): Promise<T> {
    this.before.push(writeUnits);
    return write();
  }
  charge(writeUnits: number): void {
    if (writeUnits > 0) this.after.push(writeUnits);
  }
  get total(): number {
    return [...this.before, ...this.after].reduce((a, b) => a + b, 0);
  }
}

const state = (time: number, eventId: string): KeyState => ({
  lastSeen: time,
  firstEventId: eventId,
  firstTime: time,
  succeeded: false,
  source: 'seed',
});

// DynamoDB charges a write 1 unit per started KB of the larger of the item before and after, and
// a write whose condition fails the units of the item it found (DynamoDB Developer Guide,
// "Read/write capacity unit consumption"). The store charges its pacer exactly that per request.
describe('DynamoBaselineStore writePacer', () => {
  it('charges each request its write units: a failed put the item it found, the merge the larger item', async () => {
    const tableName = dynamo.tables.baseline.tableName;
    const key: LevelKey = { level: 'role', pk: 'r#role/big#iam.amazonaws.com:CreateUser' };
    // Another shard wrote the key with a 2.5 KB event id (3 write units).
    await new DynamoBaselineStore({ client: dynamo.client, tableName }).seedKey(
      key,
      state(T0, `e-${'x'.repeat(2500)}`),
      RETENTION,
    );

    const client = dynamo.newClient();
    const requests = attachRequestCounter(client);
    const pacer = new RecordingPacer();
    const paced = new DynamoBaselineStore({ client, tableName, writePacer: pacer });
    // A later sighting: the conditional put fails on the existing key, the merge moves lastSeen.
    await paced.seedKey(key, state(T0 + DAY_MS, 'e-later'), RETENTION);

    expect(requests.byCommand()).toEqual({ PutItemCommand: 1, UpdateItemCommand: 1 });
    expect(pacer.before).toEqual([1, 3]); // the put's own small item; the merge: max(before, after)
    expect(pacer.after).toEqual([2]); // the failed put found a 3-unit item: 2 more than charged
    expect(pacer.total).toBe(6);
    expect((await paced.getKey(key))?.lastSeen).toBe(T0 + DAY_MS);
  });

  it('sends unpaced writes without sizing them when the store has no pacer', async () => {
    const tableName = dynamo.tables.baseline.tableName;
    const store = new DynamoBaselineStore({ client: dynamo.client, tableName });
    await store.seedKey(
      { level: 'role', pk: 'r#role/plain#s3.amazonaws.com:GetObject' },
      state(T0, 'e-1'),
      RETENTION,
    );
    expect(await store.recordSighting('arn:aws:iam::111122223333:role/plain', T0)).toBe(T0);
  });
});
