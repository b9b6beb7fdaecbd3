import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DetectionEngine, decodeRecord, InMemoryBaselineStore, parseConfig } from '@firstseen/core';
import { createDetector, processKinesisBatch } from '@firstseen/detector';
import type { KinesisStreamEvent } from 'aws-lambda';
import pino from 'pino';
import {
  createTables,
  DynamoDbStreamPoller,
  InMemoryCheckpointStore,
  KinesisPoller,
  type LocalStack,
  publishEvents,
  S3OnFailureDestination,
  startLocalStack,
} from '../../src';

jest.setTimeout(180_000);

let stack: LocalStack;
let streamCounter = 0;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  stack = await startLocalStack({ prefix: 'pollers-test', shards: 1 });
});
afterAll(async () => {
  await stack?.stop();
});

/** A fresh one-shard stream per test, so tests do not see each other's records. */
async function freshStream(): Promise<string> {
  const name = `pollers-test-${++streamCounter}`;
  await stack.clients.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  for (;;) {
    const s = await stack.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return name;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => ({ eventID: `e${i}`, n: i }));
const payload = (r: KinesisStreamEvent['Records'][number]) =>
  JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) as { n: number };

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function failureObjects(prefix: string): Promise<Record<string, unknown>[]> {
  const list = await stack.clients.s3.send(
    new ListObjectsV2Command({ Bucket: stack.resources.failuresBucket, Prefix: `aws/lambda/${prefix}/` }),
  );
  return Promise.all(
    (list.Contents ?? []).map(async (o) => {
      const obj = await stack.clients.s3.send(
        new GetObjectCommand({ Bucket: stack.resources.failuresBucket, Key: o.Key! }),
      );
      return JSON.parse(await obj.Body!.transformToString()) as Record<string, unknown>;
    }),
  );
}

const noWait = async () => {};

describe('KinesisPoller', () => {
  it('delivers real Kinesis events and resumes from the lowest failed sequence number', async () => {
    const streamName = await freshStream();
    await publishEvents(stack.clients.kinesis, streamName, numbered(10));
    const calls: number[][] = [];
    let failed = false;
    const poller = new KinesisPoller({
      client: stack.clients.kinesis,
      streamName,
      settings: { batchSize: 10 },
      sleep: noWait,
      handler: async (event) => {
        calls.push(event.Records.map((r) => payload(r).n));
        expect(event.Records[0]!.eventID).toBe(
          `${event.Records[0]!.eventID.split(':')[0]}:${event.Records[0]!.kinesis.sequenceNumber}`,
        );
        expect(event.Records[0]!.eventSourceARN).toContain(`stream/${streamName}`);
        if (failed) return { batchItemFailures: [] };
        failed = true;
        // Two failures reported: Lambda resumes from the lower one (n = 4).
        const seq = (n: number) => event.Records[n]!.kinesis.sequenceNumber;
        return { batchItemFailures: [{ itemIdentifier: seq(7) }, { itemIdentifier: seq(4) }] };
      },
    });
    await poller.start();
    await until(() => calls.length >= 2);
    await poller.stop();
    expect(calls).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [4, 5, 6, 7, 8, 9],
    ]);
  });

  it('bisects a batch on a function error until the poison record is alone', async () => {
    const streamName = await freshStream();
    await publishEvents(stack.clients.kinesis, streamName, numbered(8));
    const calls: number[][] = [];
    const poller = new KinesisPoller({
      client: stack.clients.kinesis,
      streamName,
      settings: { batchSize: 8, maximumRetryAttempts: 0 },
      sleep: noWait,
      onFailure: new S3OnFailureDestination({
        client: stack.clients.s3,
        bucket: stack.resources.failuresBucket,
        mappingId: 'bisect',
        batchInfoName: 'KinesisBatchInfo',
      }),
      handler: async (event) => {
        const ns = event.Records.map((r) => payload(r).n);
        calls.push(ns);
        if (ns.includes(5)) throw new Error('poison record 5');
      },
    });
    await poller.start();
    await until(() => calls.length >= 7);
    await poller.stop();
    expect(calls).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3], [4, 5, 6, 7], [4, 5], [4], [5], [6, 7]]);
    const [failure] = await failureObjects('bisect');
    expect(failure).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 },
      KinesisBatchInfo: { batchSize: 1 },
    });
  });

  it('retries a failing batch MaximumRetryAttempts times, then sends it to the on-failure destination and moves on', async () => {
    const streamName = await freshStream();
    await publishEvents(stack.clients.kinesis, streamName, numbered(3));
    const calls: number[][] = [];
    const poller = new KinesisPoller({
      client: stack.clients.kinesis,
      streamName,
      settings: { batchSize: 2, maximumRetryAttempts: 2, bisectBatchOnFunctionError: false },
      sleep: noWait,
      onFailure: new S3OnFailureDestination({
        client: stack.clients.s3,
        bucket: stack.resources.failuresBucket,
        mappingId: 'retries',
        batchInfoName: 'KinesisBatchInfo',
      }),
      handler: async (event) => {
        const ns = event.Records.map((r) => payload(r).n);
        calls.push(ns);
        if (ns.includes(0)) throw new Error('always fails');
      },
    });
    await poller.start();
    await until(() => calls.flat().includes(2));
    await poller.stop();
    expect(calls).toEqual([[0, 1], [0, 1], [0, 1], [2]]);
    const failures = await failureObjects('retries');
    expect(failures).toHaveLength(1);
    const failure = failures[0] as {
      requestContext: { condition: string; approximateInvokeCount: number };
      KinesisBatchInfo: { batchSize: number; streamArn: string };
      payload: KinesisStreamEvent;
    };
    expect(failure.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
    });
    expect(failure.KinesisBatchInfo.batchSize).toBe(2);
    expect(failure.payload.Records.map(payload).map((p) => p.n)).toEqual([0, 1]);
  });

  it('discards records older than MaximumRecordAgeInSeconds to the on-failure destination without invoking', async () => {
    const streamName = await freshStream();
    await publishEvents(stack.clients.kinesis, streamName, numbered(2));
    const calls: number[][] = [];
    const poller = new KinesisPoller({
      client: stack.clients.kinesis,
      streamName,
      settings: { maximumRecordAgeSeconds: 60 },
      // The poller's clock is two minutes ahead: every record is older than a minute.
      clock: () => Date.now() + 120_000,
      sleep: noWait,
      onFailure: new S3OnFailureDestination({
        client: stack.clients.s3,
        bucket: stack.resources.failuresBucket,
        mappingId: 'age',
        batchInfoName: 'KinesisBatchInfo',
      }),
      handler: async (event) => {
        calls.push(event.Records.map((r) => payload(r).n));
      },
    });
    await poller.start();
    await until(() => poller.checkpoints !== undefined && calls.length === 0);
    let failures: Record<string, unknown>[] = [];
    const deadline = Date.now() + 30_000;
    while (failures.length === 0 && Date.now() < deadline) failures = await failureObjects('age');
    await poller.stop();
    expect(calls).toEqual([]);
    expect(failures[0]).toMatchObject({
      requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 0 },
      KinesisBatchInfo: { batchSize: 2 },
    });
  });

  it('loses and duplicates no alert when the detector poller is killed mid-batch and restarted', async () => {
    const streamName = await freshStream();
    const config = parseConfig({ burnInDays: 0 });
    const records = Array.from({ length: 40 }, (_, i) => ({
      eventVersion: '1.08',
      userIdentity: {
        type: 'AssumedRole',
        accountId: '111122223333',
        arn: `arn:aws:sts::111122223333:assumed-role/app-${i % 4}/session`,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            userName: `app-${i % 4}`,
            arn: `arn:aws:iam::111122223333:role/app-${i % 4}`,
          },
        },
      },
      eventTime: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString().replace('.000', ''),
      eventSource: 's3.amazonaws.com',
      eventName: `Action${i % 7}`,
      awsRegion: 'us-east-1',
      eventID: `kill-${i}`,
      recipientAccountId: '111122223333',
    }));
    await publishEvents(stack.clients.kinesis, streamName, records);

    // The reference: the in-memory engine over the same events.
    const engine = new DetectionEngine({ store: new InMemoryBaselineStore(), config });
    const expected = new Map<string, string[]>();
    for (const r of records) {
      for (const d of decodeRecord(JSON.stringify(r))) {
        if (d.outcome !== 'observed') continue;
        const det = await engine.detect(d.event, 'live');
        if (det.alert) expected.set(det.alert.alertId, det.alert.levels);
      }
    }

    const environment = {
      baselineTable: stack.resources.baselineTable,
      alertsTable: stack.resources.alertsTable,
      quarantineBucket: stack.resources.quarantineBucket,
      configLocation: { kind: 'file' as const, path: 'test' },
      functionName: 'firstseen-detector',
      logLevel: 'silent',
      s3ForcePathStyle: true,
      config,
    };
    const detectorDeps = () =>
      createDetector(environment, {
        dynamodb: stack.clients.dynamodb,
        s3: stack.clients.s3,
        logger: silent,
        metrics: () => {},
      }).deps;
    const checkpoints = new InMemoryCheckpointStore();

    // First poller: processes the first batch, then dies while the second is half done.
    const first = detectorDeps();
    let batches = 0;
    let hung: () => void = () => {};
    const killedMidBatch = new Promise<void>((resolve) => {
      hung = resolve;
    });
    const poller1 = new KinesisPoller({
      client: stack.clients.kinesis,
      streamName,
      checkpoints,
      settings: { batchSize: 15 },
      sleep: noWait,
      handler: async (event) => {
        batches++;
        if (batches === 1) return processKinesisBatch(event, first);
        await processKinesisBatch({ Records: event.Records.slice(0, 7) }, first);
        hung();
        return new Promise(() => {}); // never answers: the process is killed here
      },
    });
    await poller1.start();
    await killedMidBatch;
    poller1.kill();
    const afterKill = await checkpoints.get((await checkpoints.entries())[0]![0]);
    expect(afterKill).toBeDefined();

    // Restart: a new process (fresh detector, empty cache) with the persisted checkpoint.
    const second = detectorDeps();
    let delivered = 0;
    const poller2 = new KinesisPoller({
      client: stack.clients.kinesis,
      streamName,
      checkpoints,
      settings: { batchSize: 15 },
      sleep: noWait,
      handler: async (event) => {
        delivered += event.Records.length;
        return processKinesisBatch(event, second);
      },
    });
    await poller2.start();
    await until(() => delivered >= 25);
    await poller2.stop();
    // Resumed after the first batch's checkpoint: nothing from the first batch came again.
    expect(delivered).toBe(25);

    const scan = await stack.clients.dynamodb.send(
      new ScanCommand({ TableName: stack.resources.alertsTable }),
    );
    const alerts = (scan.Items ?? [])
      .map((i) => unmarshall(i))
      .filter((a) => String(a.pk).startsWith('kill-'));
    expect(new Map(alerts.map((a) => [a.pk as string, a.levels as string[]]))).toEqual(expected);
    expect(alerts).toHaveLength(expected.size);
  });
});

describe('DynamoDbStreamPoller', () => {
  it('delivers INSERT records of the alerts stream and resumes from the failed SequenceNumber', async () => {
    const table = stack.resources.alertsTable;
    const ids = ['ddb-a', 'ddb-b', 'ddb-c'];
    for (const id of ids) {
      await stack.clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: id } } }));
    }
    // A MODIFY record: filtered out like the dispatcher's INSERT filter criteria.
    await stack.clients.dynamodb.send(
      new PutItemCommand({ TableName: table, Item: { pk: { S: 'ddb-a' }, note: { S: 'modified' } } }),
    );
    const calls: string[][] = [];
    let failedOnce = false;
    const poller = new DynamoDbStreamPoller({
      client: stack.clients.dynamodbStreams,
      streamArn: stack.resources.alertsStreamArn,
      sleep: noWait,
      handler: async (event) => {
        const keys = event.Records.map((r) => r.dynamodb?.NewImage?.pk?.S ?? '').filter((k) =>
          k.startsWith('ddb-'),
        );
        if (keys.length > 0) calls.push(keys);
        expect(event.Records.every((r) => r.eventName === 'INSERT')).toBe(true);
        const b = event.Records.find((r) => r.dynamodb?.NewImage?.pk?.S === 'ddb-b');
        if (!failedOnce && b) {
          failedOnce = true;
          return { batchItemFailures: [{ itemIdentifier: b.dynamodb!.SequenceNumber! }] };
        }
        return { batchItemFailures: [] };
      },
    });
    await poller.start();
    await until(() => calls.length >= 2 && calls.flat().includes('ddb-c'));
    await poller.stop();
    expect(calls).toEqual([
      ['ddb-a', 'ddb-b', 'ddb-c'],
      ['ddb-b', 'ddb-c'],
    ]);
  });

  it('reads the first records of a new table without a trimmed-iterator warning (its iterator was taken on an empty shard)', async () => {
    // DynamoDB Local's TRIM_HORIZON iterator on an empty shard points at sequence number 1;
    // its sequence numbers count across tables, so once the first record arrives with a larger
    // one, that iterator reads as trimmed (aws/aws-sdk-java#2923). The poller must take a fresh
    // iterator, as Lambda does, and neither lose the record nor log the condition as a failure.
    const tables = await createTables(stack.clients.dynamodb, `trimmed${Date.now()}`);
    const warnings: string[] = [];
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) },
    );
    const seen: string[] = [];
    const poller = new DynamoDbStreamPoller({
      client: stack.clients.dynamodbStreams,
      streamArn: tables.alerts.streamArn!,
      logger,
      pollIntervalMs: 20,
      handler: async (event) => {
        seen.push(...event.Records.map((r) => r.dynamodb?.NewImage?.pk?.S ?? ''));
        return { batchItemFailures: [] };
      },
    });
    await poller.start();
    await new Promise((r) => setTimeout(r, 300)); // a few reads of the empty shard
    // Writes to another table move the shared sequence numbers past the iterator's.
    for (const pk of ['other-1', 'other-2', 'other-3']) {
      await stack.clients.dynamodb.send(
        new PutItemCommand({ TableName: stack.resources.alertsTable, Item: { pk: { S: pk } } }),
      );
    }
    await stack.clients.dynamodb.send(
      new PutItemCommand({ TableName: tables.alerts.tableName, Item: { pk: { S: 'first' } } }),
    );
    await until(() => seen.includes('first'), 30_000);
    await poller.stop();
    expect(seen).toEqual(['first']);
    expect(warnings).toEqual([]);
  });
});
