import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  attachRequestCounter,
  DynamoAlertOutbox,
  HeartbeatStore,
  heartbeatKey,
} from '@firstseen/dynamodb-store';
import {
  type CreatedTables,
  createDynamoDbClient,
  createTables,
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '@firstseen/local-stack';
import { runWatchdog } from '../../src/runWatchdog';

/*
 * The watchdog's DynamoDB read cost per run, measured on DynamoDB Local by request counting
 * (as packages/bench does) and by the ConsumedCapacity each response reports, for 1,000 ACTIVE
 * accounts x 17 regions. The heartbeats are read by key, so the cost must not depend on the
 * number of baseline keys beside them: the run is measured with none and with BASELINE_KEYS
 * level keys, and must be identical. A Scan of the same table (the former design) is measured
 * too, per item, to put a figure on 10 million keys.
 */

const ACCOUNTS = Array.from({ length: 1_000 }, (_, i) => String(100_000_000_000 + i));
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];
const BASELINE_KEYS = 20_000;
// In the future, so DynamoDB Local's TTL deletion (wall clock) leaves the items alone.
const NOW = Date.parse('2100-03-01T12:00:00Z');

let emulator: DynamoDbLocal;
let client: DynamoDBClient;
let tables: CreatedTables;

/** Sums the read capacity DynamoDB reports, by asking every request to report it. */
function attachCapacityMeter(c: DynamoDBClient) {
  const meter = { units: 0 };
  c.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const cc of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        meter.units += (cc as { CapacityUnits?: number }).CapacityUnits ?? 0;
      }
      return out;
    },
    { step: 'initialize', name: 'capacityMeter' },
  );
  return meter;
}

async function writeAll(items: Record<string, unknown>[]): Promise<void> {
  const doc = DynamoDBDocumentClient.from(client);
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(
      batches.slice(i, i + 8).map(async (batch) => {
        let pending = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length) {
          const out = await doc.send(
            new BatchWriteCommand({ RequestItems: { [tables.baseline.tableName]: pending } }),
          );
          pending = (out.UnprocessedItems?.[tables.baseline.tableName] ?? []) as typeof pending;
        }
      }),
    );
  }
}

async function measureRun() {
  const runClient = createDynamoDbClient(emulator.endpoint);
  const counter = attachRequestCounter(runClient);
  const meter = attachCapacityMeter(runClient);
  const store = new HeartbeatStore({ client: runClient, tableName: tables.baseline.tableName });
  const outbox = new DynamoAlertOutbox({ client: runClient, tableName: tables.alerts.tableName });
  const result = await runWatchdog({
    accounts: { listActiveAccounts: async () => ACCOUNTS },
    regions: REGIONS,
    heartbeats: {
      get: (pairs) => store.getHeartbeats(pairs),
      markExpected: (pairs, now) => store.markExpected(pairs, now),
    },
    outbox: { put: (a) => outbox.put(a, 365) },
    silenceMs: 3_600_000,
    neverReportedGraceMs: 86_400_000,
    clock: () => NOW,
  });
  runClient.destroy();
  return { result, requests: counter.byCommand(), readUnits: meter.units };
}

beforeAll(async () => {
  emulator = await startDynamoDbLocal();
  client = createDynamoDbClient(emulator.endpoint);
  tables = await createTables(client, 'wdreads');
  // Steady state: every pair has reported recently and was marked expected long ago.
  await writeAll(
    ACCOUNTS.flatMap((account) =>
      REGIONS.map((region) => ({
        pk: heartbeatKey(account, region),
        account,
        region,
        lastEventTime: NOW - 60_000,
        updatedAt: NOW - 60_000,
        expectedSince: NOW - 30 * 86_400_000,
      })),
    ),
  );
}, 600_000);

afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
});

describe('the watchdog run on 1,000 accounts x 17 regions', () => {
  it('reads one heartbeat item per expected pair, whatever the number of baseline keys', async () => {
    const bare = await measureRun();
    await writeAll(
      Array.from({ length: BASELINE_KEYS }, (_, i) => ({
        pk: `a#${ACCOUNTS[i % ACCOUNTS.length]}#role/app-${i}#s3.amazonaws.com:GetObject`,
        firstSeen: NOW - 86_400_000,
        eventId: `e-${i}`,
        expiresAt: Math.floor(NOW / 1000) + 86_400 * 400,
      })),
    );
    const withKeys = await measureRun();

    const pairs = ACCOUNTS.length * REGIONS.length;
    expect(bare.result).toMatchObject({ expected: pairs, newlyExpected: 0, alerted: 0 });
    // 17,000 keys, 100 per BatchGetItem; no Scan, no Query, no write in the steady state.
    expect(bare.requests).toEqual({ BatchGetItemCommand: pairs / 100 });
    // Eventually consistent reads of items under 4 KB: 0.5 read unit each.
    expect(bare.readUnits).toBe(pairs * 0.5);
    expect(withKeys.requests).toEqual(bare.requests);
    expect(withKeys.readUnits).toBe(bare.readUnits);

    // The former design for comparison: a Scan filtered on h#, which pays for every item read.
    const doc = DynamoDBDocumentClient.from(client);
    const scanMeter = attachCapacityMeter(client);
    let scanned = 0;
    let key: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: tables.baseline.tableName,
          FilterExpression: 'begins_with(pk, :h)',
          ExpressionAttributeValues: { ':h': 'h#' },
          ExclusiveStartKey: key,
        }),
      );
      scanned += page.ScannedCount ?? 0;
      key = page.LastEvaluatedKey;
    } while (key);
    const scanUnitsPerItem = scanMeter.units / scanned;
    const tenMillion = 10_000_000 + pairs;
    console.log(
      JSON.stringify({
        pairs,
        watchdogRequestsPerRun: bare.requests,
        watchdogReadUnitsPerRun: bare.readUnits,
        watchdogReadUnitsPerRunWith20kBaselineKeys: withKeys.readUnits,
        scanReadUnitsFor: { items: scanned, units: scanMeter.units },
        scanReadUnitsAt10MillionKeys: Math.round(scanUnitsPerItem * tenMillion),
      }),
    );
    expect(scanned).toBe(pairs + BASELINE_KEYS);
  }, 600_000);
});
