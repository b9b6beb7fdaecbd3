import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { handler as redriveHandler } from '@firstseen/handler-redrive';
import {
  createDynamoDbClient,
  createDynamoDbStreamsClient,
  createTables,
  type DynamoDbLocal,
  type Receiver,
  readStreamEvent,
  startDynamoDbLocal,
  startSlackReceiver,
} from '@firstseen/local-stack';
import { makeAlert } from '@firstseen/test-support';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { handler } from '../../src';

let ddb: DynamoDbLocal;
let slack: Receiver;
let doc: DynamoDBDocumentClient;
let tableName: string;
let streamArn: string;
let configDir: string;
const savedEnv = { ...process.env };
const context = { getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

/** Reads the alerts stream from the start, shaped as Lambda's event source mapping delivers it. */
async function streamEvent(): Promise<DynamoDBStreamEvent> {
  const streams = createDynamoDbStreamsClient(ddb.endpoint);
  try {
    return await readStreamEvent(streams, streamArn);
  } finally {
    streams.destroy();
  }
}

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  const tables = await createTables(createDynamoDbClient(ddb.endpoint), 'dispatch');
  tableName = tables.alerts.tableName;
  streamArn = tables.alerts.streamArn!;
  doc = DynamoDBDocumentClient.from(createDynamoDbClient(ddb.endpoint));
  slack = await startSlackReceiver({
    behaviour: ({ path }) => (path === '/gone' ? { kind: 'status', status: 404 } : { kind: 'accept' }),
  });
  configDir = await mkdtemp(join(tmpdir(), 'dispatch-'));
  const configPath = join(configDir, 'config.json');
  await writeFile(
    configPath,
    JSON.stringify({
      routing: {
        destinations: { slack: { type: 'slack' }, legacy: { type: 'slack', secret: 'LEGACY_WEBHOOK_URL' } },
        rules: [{ destinations: ['slack'] }, { principals: ['role/legacy-*'], destinations: ['legacy'] }],
      },
    }),
  );
  Object.assign(process.env, {
    FIRSTSEEN_ALERTS_TABLE: tableName,
    FIRSTSEEN_DYNAMODB_ENDPOINT: ddb.endpoint,
    FIRSTSEEN_SECRETS: 'env',
    FIRSTSEEN_CONFIG_PATH: configPath,
    FIRSTSEEN_SLACK_WEBHOOK_URL: `${slack.baseUrl}/webhook`,
    LEGACY_WEBHOOK_URL: `${slack.baseUrl}/gone`,
    FIRSTSEEN_LOG_LEVEL: 'silent',
  });
}, 120_000);

afterAll(async () => {
  process.env = savedEnv;
  await slack?.stop();
  await ddb?.stop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

describe('alert-dispatcher handler on the alerts stream of DynamoDB Local', () => {
  const alerts = [
    makeAlert({ alertId: 'e-1', eventId: 'e-1', principal: 'role/deploy' }),
    makeAlert({ alertId: 'e-2', eventId: 'e-2', principal: 'role/legacy-batch' }),
    makeAlert({
      alertId: 'e-3',
      eventId: 'e-3',
      principal: 'role/deploy',
      action: 's3.amazonaws.com:PutBucketAcl',
    }),
  ];

  it('delivers INSERTs, writes delivery state, acknowledges the permanent failure at once, and never re-sends', async () => {
    const createdAt = new Date(Date.now() - 3_600_000).toISOString();
    for (const a of alerts) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: a.alertId, ...a, createdAt, expiresAt: 2_000_000_000 },
        }),
      );
    }
    const event = await streamEvent();
    expect(event.Records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT', 'INSERT']);

    // The 404 is recorded on the alert and its record acknowledged: no retry could fix it, and
    // retrying would hold up the shard (redrive re-sends it after the fix, below).
    const first = await handler(event, context);
    expect(first.batchItemFailures).toEqual([]);
    // One message for role/deploy (two alerts grouped), one for role/legacy-batch, one 404.
    expect(slack.requests.map((r) => r.path).sort()).toEqual(['/gone', '/webhook', '/webhook']);

    const legacy = (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: 'e-2' } }))).Item!;
    expect(legacy['delivery']).toMatchObject({
      slack: { status: 'delivered', attempts: 1, via: 'group' },
      legacy: { status: 'permanent', attempts: 1, lastError: 'slack webhook HTTP 404 channel_not_found' },
    });

    // A redelivered batch (a crash before the checkpoint) sends nothing again.
    const retry = await handler(event, context);
    expect(retry.batchItemFailures).toEqual([]);
    expect(slack.requests).toHaveLength(3);

    // Our own delivery-state writes come back as MODIFY records and are ignored.
    const withModifies = await streamEvent();
    expect(withModifies.Records.some((r) => r.eventName === 'MODIFY')).toBe(true);
    const modifiesOnly = { Records: withModifies.Records.filter((r) => r.eventName === 'MODIFY') };
    expect(await handler(modifiesOnly, context)).toEqual({ batchItemFailures: [] });
    expect(slack.requests).toHaveLength(3);
  });

  it('lets the redrive function re-send the permanent failure once the destination is fixed', async () => {
    slack.setBehaviour(() => ({ kind: 'accept' }));
    const report = await redriveHandler({}, context);
    expect(report).toMatchObject({ attempted: 1, delivered: 1, stillIncomplete: [] });
    expect(slack.requests.at(-1)?.path).toBe('/gone');
    const legacy = (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: 'e-2' } }))).Item!;
    expect(legacy['delivery']).toMatchObject({ legacy: { status: 'delivered', attempts: 2 } });
    const again = await redriveHandler({}, context);
    expect(again).toMatchObject({ attempted: 0 });
  });
});
