import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseConfig } from '@firstseen/core';
import { attachRequestCounter, DynamoBaselineStore } from '@firstseen/dynamodb-store';
import {
  createDynamoDbClient,
  createTables,
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '@firstseen/local-stack';
import { runReplay, seedSink, WriteRateGuard } from '../../src';
import { generateHistory, memorySource } from '../helpers/generatedOrg';

let dynamo: DynamoDbLocal;
const clients: DynamoDBClient[] = [];
const newClient = () => {
  const c = createDynamoDbClient(dynamo.endpoint);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await dynamo?.stop();
});

// The write-rate guard of a sharded seed (the replay-shard function's), against DynamoDB Local.
// A shard that finds its keys already written by another shard sends, per key, a conditional
// PutItem that fails and then the merge's UpdateItem: DynamoDB charges both (a failed condition
// still consumes the existing item's write units). The guard must charge every request sent,
// and so keep the requests per second under its rate, not only the keys per second.
describe('a seed paced by a WriteRateGuard', () => {
  const config = parseConfig({ burnInDays: 7 });
  const { history } = generateHistory();

  it('charges every write request sent, failed conditional writes included, and keeps to its rate', async () => {
    const setup = newClient();
    const tables = await createTables(setup, `w${Math.random().toString(36).slice(2, 8)}`);
    const tableName = tables.baseline.tableName;
    // Another shard already seeded the odd files: most keys exist and need the merge.
    const other = new DynamoBaselineStore({ client: setup, tableName });
    await runReplay(
      { config },
      {
        source: memorySource(history.filter((_, i) => i % 2 === 1)),
        sink: seedSink({ config, target: other }),
      },
    );

    const rate = 400;
    const guard = new WriteRateGuard({ writesPerSecond: rate });
    const client = newClient();
    const requests = attachRequestCounter(client);
    const paced = new DynamoBaselineStore({ client, tableName, writePacer: guard });
    const started = Date.now();
    const summary = await runReplay(
      { config },
      {
        source: memorySource(history.filter((_, i) => i % 2 === 0)),
        sink: seedSink({ config, target: paced }),
      },
    );
    const elapsedMs = Date.now() - started;

    const puts = requests.count('PutItemCommand');
    const updates = requests.count('UpdateItemCommand');
    const written = (summary.seed?.keysWritten ?? 0) + (summary.seed?.principalsWritten ?? 0);
    // The merge path ran: more requests than keys and principals written.
    expect(updates).toBeGreaterThan(100);
    expect(puts + updates).toBeGreaterThan(written * 1.2);
    // Every item here is under 1 KB: each request is 1 write unit, and the guard charged each.
    expect(guard.charged).toBe(puts + updates);
    // A bucket of one second's worth, then `rate` units a second.
    expect(elapsedMs).toBeGreaterThanOrEqual(((puts + updates - rate) / rate) * 1000 * 0.95);
  }, 120_000);
});
