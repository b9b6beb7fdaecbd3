import { type ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Alert,
  DetectionEngine,
  decodeRecord,
  InMemoryBaselineStore,
  parseConfig,
} from '@firstseen/core';
import { DynamoSuppressionStore, heartbeatKey } from '@firstseen/dynamodb-store';
import {
  createBucket,
  createS3Client,
  createTables,
  LOCAL_REGION,
  type LocalEmulators,
  type Receiver,
  readStreamEvent,
  s3rverCredentials,
  startLocalEmulators,
  startSlackReceiver,
} from '@firstseen/local-stack';
import { APP_ID, CORPUS_DIR, clickPayload, formBody, signed, TEAM_ID } from '@firstseen/test-support';
import type {
  DynamoDBStreamEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import { buildHandlers } from '../../src/buildHandlers';
import { CONFIG_FILE_NAME, FUNCTION_NAMES, type FunctionName } from '../../src/constants';
import { type OrganizationsReceiver, startOrganizationsReceiver } from '../helpers/organizationsReceiver';

/**
 * `npm run build` end to end: the real build writes handlers/<name>/dist/index.js, and each
 * bundle, copied alone into a task folder as Lambda unpacks it, is invoked in a fresh Node
 * process against DynamoDB Local and s3rver, with the environment the Pulumi program sets plus
 * the SDK's standard endpoint variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3). The
 * steps follow the pipeline and share its state: the detector's alert is what the dispatcher
 * delivers and what the triage click decides on.
 */

const REPO = path.join(__dirname, '..', '..', '..');
const HANDLERS = path.join(REPO, 'handlers');
const RUNNER = path.join(__dirname, '..', 'fixtures', 'invokeHandler.cjs');
// One real EventBridge envelope of a CloudTrail API call (first line of this corpus file).
const CORPUS_FILE = path.join(CORPUS_DIR, 'cloud-custodian-test-events-eventbridge.ndjson');
const CONFIG = {
  burnInDays: 0,
  routing: {
    // Interactive: the triage bundle accepts clicks only from this workspace and app.
    destinations: { slack: { type: 'slack', interactive: true, teamIds: [TEAM_ID], appId: APP_ID } },
    rules: [{ destinations: ['slack'] }],
  },
};
const SIGNING_SECRET = 'bundle-test-signing-secret-5d1c0e';
const SILENCE_MINUTES = 60;
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:111122223333:stream/firstseen-events';

let emulators: LocalEmulators;
let slack: Receiver;
let dynamodb: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let s3: S3Client;
let tables: { baseline: string; alerts: string; alertsStreamArn: string };
let taskRoots: Record<FunctionName, string>;
let workDir: string;
// The watchdog's Organizations stand-in and expected regions, set by its test before invoking it.
let organizations: OrganizationsReceiver | undefined;
let watchdogRegions = 'us-east-1';
const bucket = 'bundles-quarantine';
const children = new Set<ChildProcess>();

beforeAll(async () => {
  // The same call `npm run build` makes (no outRoot): every handler into handlers/<name>/dist/.
  const [bundles, started, receiver] = await Promise.all([
    buildHandlers({ handlersDir: HANDLERS }),
    startLocalEmulators({ dynamodb: true, s3: true, kinesis: false }),
    startSlackReceiver(),
  ]);
  emulators = started;
  slack = receiver;
  // replay-shard is deployed by the optional ReplayOnAws component only.
  expect(bundles.map((b) => b.outfile)).toEqual(
    [...FUNCTION_NAMES, 'replay-shard'].sort().map((n) => path.join(HANDLERS, n, 'dist', 'index.js')),
  );

  // DynamoDB Local keeps one database per access key: everything here, the handlers included,
  // signs with s3rver's fixed key pair, since a handler has one set of credentials for all services.
  dynamodb = new DynamoDBClient({
    endpoint: emulators.endpoints.dynamodb!,
    region: LOCAL_REGION,
    credentials: s3rverCredentials,
  });
  doc = DynamoDBDocumentClient.from(dynamodb);
  // TTL stays off: the corpus event is from 2021, and its keys' expiry is already past.
  const created = await createTables(dynamodb, 'bundles', { enableTtl: false });
  tables = {
    baseline: created.baseline.tableName,
    alerts: created.alerts.tableName,
    alertsStreamArn: created.alerts.streamArn!,
  };
  s3 = createS3Client(emulators.endpoints.s3!);
  await createBucket(s3, bucket);

  // Each function's zip as Lambda unpacks it to /var/task: the bundle, its map and config.json.
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstseen-bundles-'));
  taskRoots = {} as Record<FunctionName, string>;
  for (const b of bundles) {
    const root = path.join(workDir, b.name);
    fs.mkdirSync(root);
    fs.copyFileSync(b.outfile, path.join(root, 'index.js'));
    fs.copyFileSync(`${b.outfile}.map`, path.join(root, 'index.js.map'));
    fs.writeFileSync(path.join(root, CONFIG_FILE_NAME), JSON.stringify(CONFIG));
    taskRoots[b.name as FunctionName] = root;
  }
}, 300_000);

afterAll(async () => {
  for (const child of children) child.kill();
  s3?.destroy();
  dynamodb?.destroy();
  await slack?.stop();
  await organizations?.stop();
  await emulators?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

/** The environment infra/src/FirstseenPipeline.ts gives each function, pointed at the emulators. */
function environment(name: FunctionName): NodeJS.ProcessEnv {
  const tableEnv = { FIRSTSEEN_BASELINE_TABLE: tables.baseline, FIRSTSEEN_ALERTS_TABLE: tables.alerts };
  const perFunction: Record<FunctionName, Record<string, string>> = {
    detector: { ...tableEnv, FIRSTSEEN_QUARANTINE_BUCKET: bucket, FIRSTSEEN_S3_FORCE_PATH_STYLE: 'true' },
    'alert-dispatcher': { ...tableEnv, FIRSTSEEN_SECRETS: 'env' },
    redrive: { ...tableEnv, FIRSTSEEN_SECRETS: 'env' },
    watchdog: {
      ...tableEnv,
      FIRSTSEEN_SILENCE_MINUTES: String(SILENCE_MINUTES),
      FIRSTSEEN_EXPECTED_REGIONS: watchdogRegions,
      ...(organizations ? { AWS_ENDPOINT_URL_ORGANIZATIONS: organizations.endpoint } : {}),
    },
    triage: { ...tableEnv, FIRSTSEEN_SECRETS: 'env', FIRSTSEEN_TRIAGE_EXPECTED_SCOPE: 'action' },
    'trail-reader': {
      ...tableEnv,
      FIRSTSEEN_QUARANTINE_BUCKET: bucket,
      FIRSTSEEN_S3_FORCE_PATH_STYLE: 'true',
    },
  };
  return {
    PATH: process.env['PATH'],
    NODE_OPTIONS: '--enable-source-maps',
    NODE_NO_WARNINGS: '1',
    LAMBDA_TASK_ROOT: taskRoots[name],
    AWS_LAMBDA_FUNCTION_NAME: `firstseen-${name}`,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: emulators.endpoints.s3,
    // s3rver predates the SDK's default CRC32 trailers.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    FIRSTSEEN_CONFIG_PATH: path.join(taskRoots[name], CONFIG_FILE_NAME),
    FIRSTSEEN_LOG_LEVEL: 'warn',
    // FIRSTSEEN_SECRETS=env: the secret names of the config are environment variables.
    FIRSTSEEN_SLACK_WEBHOOK_URL: `${slack.baseUrl}/webhook`,
    FIRSTSEEN_SLACK_SIGNING_SECRET: SIGNING_SECRET,
    ...perFunction[name],
  };
}

/** Forks the runner on the task folder's bundle: one cold start and one invocation, like a fresh sandbox. */
function invoke<T = unknown>(name: FunctionName, event: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const root = taskRoots[name];
    const child = fork(RUNNER, [], { cwd: root, env: environment(name), silent: true, execArgv: [] });
    children.add(child);
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    let reply:
      | { ok: true; result: T }
      | { ok: false; error: { stack?: string; message?: string } }
      | undefined;
    child.on('message', (m) => {
      reply = m as typeof reply;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      children.delete(child);
      if (reply?.ok) resolve(reply.result);
      else {
        const why = reply
          ? (reply.error.stack ?? reply.error.message)
          : `exited with code ${code} without a reply`;
        reject(new Error(`${name} bundle: ${why}\n--- its output ---\n${output}`));
      }
    });
    child.send({ bundle: path.join(root, 'index.js'), event, timeoutMs: 60_000 });
  });
}

function kinesisRecord(data: Buffer, n: number, partitionKey: string): KinesisStreamRecord {
  const seq = `4959${String(n).padStart(52, '0')}`;
  return {
    awsRegion: LOCAL_REGION,
    eventID: `shardId-000000000000:${seq}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventSourceARN: STREAM_ARN,
    eventVersion: '1.0',
    invokeIdentityArn: 'arn:aws:iam::111122223333:role/firstseen-detector',
    kinesis: {
      approximateArrivalTimestamp: Date.now() / 1000,
      data: data.toString('base64'),
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber: seq,
    },
  };
}

/** The alerts table's stream from the start, as Lambda's event source mapping delivers it. */
async function alertsStreamEvent(): Promise<DynamoDBStreamEvent> {
  const streams = new DynamoDBStreamsClient({
    endpoint: emulators.endpoints.dynamodb!,
    region: LOCAL_REGION,
    credentials: s3rverCredentials,
  });
  try {
    return await readStreamEvent(streams, tables.alertsStreamArn);
  } finally {
    streams.destroy();
  }
}

async function alertItem(alertId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tables.alerts, Key: { pk: alertId }, ConsistentRead: true }),
  );
  return Item;
}

// The detector's alert: delivered by the dispatcher, decided on by the triage click.
let corpusAlert: Alert;

describe('the handler bundles of npm run build, invoked against the local emulators', () => {
  it('writes every handler to handlers/<name>/dist/ with the AWS SDK inside (only the optional CRT signer left out)', () => {
    for (const name of FUNCTION_NAMES) {
      const code = fs.readFileSync(path.join(taskRoots[name], 'index.js'), 'utf8');
      const sdkRequires = new Set(code.match(/require\("@aws-sdk\/[^"]+"\)/g) ?? []);
      expect({ name, sdkRequires: [...sdkRequires] }).toEqual({
        name,
        sdkRequires: sdkRequires.size ? ['require("@aws-sdk/signature-v4-crt")'] : [],
      });
    }
  });

  it('detector: alerts on a corpus event, quarantines a poison record and reports no failed item', async () => {
    const line = fs.readFileSync(CORPUS_FILE, 'utf8').split('\n')[0]!;
    const envelope = JSON.parse(line) as { 'detail-type': string; detail: { eventID: string } };
    expect(envelope['detail-type']).toBe('AWS API Call via CloudTrail');
    // What the in-memory engine alerts on for this one event, with the same config.
    const config = parseConfig(CONFIG);
    const engine = new DetectionEngine({ store: new InMemoryBaselineStore(), config });
    const [decoded] = decodeRecord(line, { coverage: config.coverage, ignore: config.ignore });
    if (decoded?.outcome !== 'observed') throw new Error('the corpus line does not decode to an event');
    const expected = (await engine.detect(decoded.event, 'live')).alert;
    expect(expected?.alertId).toBe(envelope.detail.eventID);
    corpusAlert = expected!;

    const poison = Buffer.from('{"detail-type":"AWS API Call via CloudTrail","detail":', 'utf8');
    const event: KinesisStreamEvent = {
      Records: [kinesisRecord(Buffer.from(line, 'utf8'), 1, 'pk-1'), kinesisRecord(poison, 2, 'pk-2')],
    };
    const response = await invoke('detector', event);

    expect(response).toEqual({ batchItemFailures: [] });
    const { Items } = await doc.send(new ScanCommand({ TableName: tables.alerts, ConsistentRead: true }));
    // The bundled detector explains its alerts (packages/explain); the reference engine does not.
    expect(Items?.map(({ pk, createdAt, expiresAt, context, ...alert }) => alert)).toEqual([
      JSON.parse(JSON.stringify({ ...corpusAlert, context: undefined })),
    ]);
    expect(Items?.[0]?.context?.explanation).toEqual(expect.stringContaining('new action'));
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(objects.Contents?.map((o) => path.basename(o.Key!))).toEqual([
      `${event.Records[1]!.kinesis.sequenceNumber}.json`,
    ]);
  });

  it('alert-dispatcher: delivers the INSERT from the alerts stream to Slack and records the delivery', async () => {
    const event = await alertsStreamEvent();
    expect(event.Records.map((r) => [r.eventName, r.dynamodb?.Keys?.['pk']?.S])).toEqual([
      ['INSERT', corpusAlert.alertId],
    ]);

    const response = await invoke('alert-dispatcher', event);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(slack.requests.map((r) => [r.path, r.accepted])).toEqual([['/webhook', true]]);
    expect(slack.requests[0]!.raw).toContain(corpusAlert.principal);
    expect((await alertItem(corpusAlert.alertId))?.['delivery']).toMatchObject({
      slack: { status: 'delivered', attempts: 1 },
    });
  });

  it('redrive: re-sends an alert whose delivery failed, and leaves delivered alerts alone', async () => {
    const hourAgo = Date.now() - 3_600_000;
    const stuck: Alert = {
      ...corpusAlert,
      alertId: 'bundle-redrive-1',
      eventId: 'bundle-redrive-1',
      principal: 'role/redrive-me',
    };
    await doc.send(
      new PutCommand({
        TableName: tables.alerts,
        Item: {
          ...JSON.parse(JSON.stringify(stuck)),
          pk: stuck.alertId,
          createdAt: hourAgo,
          expiresAt: Math.floor(hourAgo / 1000) + 86_400,
          delivery: {
            slack: {
              status: 'failed',
              attempts: 3,
              lastError: 'slack webhook HTTP 500 rollup_error',
              updatedAt: new Date(hourAgo).toISOString(),
            },
          },
        },
      }),
    );
    const before = slack.requests.length;

    const report = await invoke('redrive', { source: 'aws.scheduler' });

    expect(report).toEqual({ scanned: 2, attempted: 1, delivered: 1, stillIncomplete: [] });
    expect(slack.requests.slice(before).map((r) => r.path)).toEqual(['/webhook']);
    expect(slack.requests.at(-1)!.raw).toContain('role/redrive-me');
    expect((await alertItem(stuck.alertId))?.['delivery']).toMatchObject({
      slack: { status: 'delivered', attempts: 4 },
    });
  });

  it('watchdog: expects every ACTIVE account in every forwarded region and alerts on the silent pairs', async () => {
    const now = Date.now();
    const stale = { account: '444455556666', region: 'eu-west-1', lastEventTime: now - 3 * 3_600_000 };
    const recent = { account: '444455556666', region: 'eu-central-1', lastEventTime: now - 60_000 };
    for (const h of [stale, recent]) {
      await doc.send(
        new PutCommand({
          TableName: tables.baseline,
          Item: { pk: heartbeatKey(h.account, h.region), ...h, updatedAt: h.lastEventTime },
        }),
      );
    }
    // The detector's heartbeat for the corpus event (event time 2021) is stale too.
    const corpusTime = Date.parse(corpusAlert.eventTime);
    // A new account with no heartbeat: expected from this run on, not yet past its grace period.
    const accounts = [...new Set(['444455556666', corpusAlert.account, '777788889999'])];
    const regions = [...new Set(['eu-west-1', 'eu-central-1', corpusAlert.region])];
    organizations = await startOrganizationsReceiver([
      ...accounts.map((id) => ({ id, state: 'ACTIVE' as const })),
      { id: '999900001111', state: 'CLOSED' },
    ]);
    watchdogRegions = regions.join(',');

    const result = await invoke('watchdog', { source: 'aws.scheduler' });

    const pairs = accounts.length * regions.length;
    expect(result).toEqual({
      expected: pairs,
      newlyExpected: pairs,
      silent: 2,
      neverReported: 0,
      alerted: 2,
      directory: { accounts: accounts.length + 1 },
    });
    // ListAccounts for the expected pairs, then the account directory: names, OU paths and tags.
    expect(organizations.targets[0]).toBe('AWSOrganizationsV20161128.ListAccounts');
    expect(new Set(organizations.targets)).toEqual(
      new Set([
        'AWSOrganizationsV20161128.ListAccounts',
        'AWSOrganizationsV20161128.ListParents',
        'AWSOrganizationsV20161128.DescribeOrganizationalUnit',
        'AWSOrganizationsV20161128.ListTagsForResource',
      ]),
    );
    const { Items } = await doc.send(new ScanCommand({ TableName: tables.alerts, ConsistentRead: true }));
    const silence = (Items ?? []).filter((i) => i['action'] === 'firstseen:SourceSilent');
    expect(silence.map((i) => i['pk']).sort()).toEqual(
      [
        `watchdog#${stale.account}#${stale.region}#${stale.lastEventTime}`,
        `watchdog#${corpusAlert.account}#${corpusAlert.region}#${corpusTime}`,
      ].sort(),
    );
    const marked = await doc.send(
      new GetCommand({ TableName: tables.baseline, Key: { pk: heartbeatKey('777788889999', 'eu-west-1') } }),
    );
    expect(marked.Item?.['expectedSince']).toBeGreaterThanOrEqual(now);
  });

  it('triage: records the decision of a correctly signed Slack click and refuses a badly signed one and a foreign one', async () => {
    const payload = clickPayload({
      alertId: corpusAlert.alertId,
      decision: 'expected',
      alert: corpusAlert,
      // Not a Slack URL: the bundle must refuse to post there (nothing may leave for it).
      responseUrl: `${slack.baseUrl}/actions/1`,
    });
    const body = formBody(payload);
    const urlEvent = (headers: Record<string, string>, raw = body): LambdaFunctionURLEvent => ({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/',
      rawQueryString: '',
      headers,
      requestContext: {
        accountId: 'anonymous',
        apiId: 'abc123',
        domainName: 'abc123.lambda-url.us-east-1.on.aws',
        domainPrefix: 'abc123',
        http: {
          method: 'POST',
          path: '/',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'Slackbot',
        },
        requestId: 'req-1',
        routeKey: '$default',
        stage: '$default',
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
      },
      // Function URLs hand form bodies over base64-encoded.
      body: Buffer.from(raw, 'utf8').toString('base64'),
      isBase64Encoded: true,
    });
    const now = Math.floor(Date.now() / 1000);
    const forged = signed(body, { timestampSeconds: now, secret: 'not-the-signing-secret' });
    const good = signed(body, { timestampSeconds: now, secret: SIGNING_SECRET });
    const slackBefore = slack.requests.length;

    const refused = await invoke<{ statusCode: number }>(
      'triage',
      urlEvent(forged.headers as Record<string, string>),
    );
    expect(refused.statusCode).toBe(401);
    expect((await alertItem(corpusAlert.alertId))?.['decisions']).toBeUndefined();

    // Correctly signed, but clicked in another workspace: 403, nothing recorded.
    const foreignBody = formBody({ ...payload, team: { id: 'T0OTHER', domain: 'other' } });
    const foreign = signed(foreignBody, { timestampSeconds: now, secret: SIGNING_SECRET });
    const outsider = await invoke<{ statusCode: number }>(
      'triage',
      urlEvent(foreign.headers as Record<string, string>, foreignBody),
    );
    expect(outsider.statusCode).toBe(403);
    expect((await alertItem(corpusAlert.alertId))?.['decisions']).toBeUndefined();

    const accepted = await invoke<{ statusCode: number }>(
      'triage',
      urlEvent(good.headers as Record<string, string>),
    );
    expect(accepted.statusCode).toBe(200);
    expect((await alertItem(corpusAlert.alertId))?.['decisions']).toEqual([
      expect.objectContaining({ decision: 'expected', userId: 'U0ALICE', channelId: 'C0SEC' }),
    ]);
    const suppressions = new DynamoSuppressionStore({ client: dynamodb, tableName: tables.baseline });
    expect(await suppressions.forPrincipal(corpusAlert.principal)).toEqual([
      expect.objectContaining({ action: corpusAlert.action, reason: 'expected' }),
    ]);
    expect(slack.requests.length).toBe(slackBefore);
  });
});
