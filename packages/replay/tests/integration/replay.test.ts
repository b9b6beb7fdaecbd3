import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type Alert,
  type Config,
  DetectionEngine,
  InMemoryBaselineStore,
  parseConfig,
} from '@firstseen/core';
import { DynamoAlertOutbox, DynamoBaselineStore } from '@firstseen/dynamodb-store';
import { createBucket, createTables, type LocalEmulators, startLocalEmulators } from '@firstseen/local-stack';
import {
  AlertFileWriter,
  KinesisPublisher,
  reconcileSink,
  runReplay,
  seedSink,
  simulateSink,
  streamSink,
} from '../../src';
import { PrincipalOrderedRunner } from '../../src/PrincipalOrderedRunner';
import { S3ObjectSource } from '../../src/sources';
import type { ReplaySummary } from '../../src/summary';
import {
  byEventId,
  type GeneratedHistory,
  generateHistory,
  observedEvents,
  referenceAlerts,
  s3rverClient,
  uploadFiles,
} from '../helpers/generatedOrg';

const BUCKET = 'replay-it';
let emulators: LocalEmulators;
let generated: GeneratedHistory;
let tmp: string;
let s3: ReturnType<typeof s3rverClient>;

beforeAll(async () => {
  emulators = await startLocalEmulators({ kinesis: true });
  s3 = s3rverClient(emulators.endpoints.s3!);
  await createBucket(s3, BUCKET);
  generated = generateHistory();
  await uploadFiles(s3, BUCKET, [...generated.history, ...generated.live]);
  tmp = mkdtempSync(join(tmpdir(), 'replay-it-'));
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await emulators?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const source = (prefix: string) => new S3ObjectSource(s3, BUCKET, prefix);

async function freshTables(): Promise<{
  baseline: DynamoBaselineStore;
  outbox: DynamoAlertOutbox;
  alertsTable: string;
}> {
  const prefix = `t${Math.random().toString(36).slice(2, 8)}`;
  const t = await createTables(emulators.clients.dynamodb!, prefix);
  return {
    baseline: new DynamoBaselineStore({
      client: emulators.clients.dynamodb!,
      tableName: t.baseline.tableName,
    }),
    outbox: new DynamoAlertOutbox({ client: emulators.clients.dynamodb!, tableName: t.alerts.tableName }),
    alertsTable: t.alerts.tableName,
  };
}

async function scanAlerts(table: string): Promise<Alert[]> {
  const alerts: Alert[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await emulators.clients.dynamodb!.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const { pk: _pk, createdAt: _c, expiresAt: _e, ...alert } = unmarshall(item);
      alerts.push(alert as Alert);
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return alerts.sort(byEventId);
}

/** The live path: the engine over the DynamoDB baseline (source live), alerts into the outbox. */
async function liveRun(
  config: Config,
  store: DynamoBaselineStore,
  outbox: DynamoAlertOutbox,
  events: ReturnType<typeof observedEvents>,
): Promise<Alert[]> {
  const engine = new DetectionEngine({ store, config });
  const runner = new PrincipalOrderedRunner(16);
  const alerts: Alert[] = [];
  for (const e of events) {
    await runner.submit(e.principal, async () => {
      const d = await engine.detect(e, 'live');
      if (d.alert) {
        alerts.push(d.alert);
        await outbox.put(d.alert, config.alertRetentionDays);
      }
    });
  }
  await runner.drain();
  return alerts.sort(byEventId);
}

function readAlerts(path: string): Alert[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Alert);
}

describe('replay simulate', () => {
  it('gives exactly the alerts of the in-memory engine run over the same records in order', async () => {
    const config = parseConfig({ burnInDays: 3 });
    const out = join(tmp, 'simulate.ndjson');
    const summary = await runReplay(
      { config, concurrency: 4 },
      { source: source(''), sink: simulateSink({ config, out: new AlertFileWriter(out) }) },
    );
    const files = [...generated.history, ...generated.live];
    const expected = await referenceAlerts(observedEvents(files, config), config);

    expect(expected.length).toBeGreaterThan(50);
    expect(readAlerts(out)).toEqual(expected);
    // Every alert line carries its evidence (at least the access mode).
    expect(readAlerts(out).filter((a) => a.evidence?.access === undefined)).toEqual([]);
    expect(summary.files).toBe(files.length);
    expect(summary.records).toBe(files.reduce((n, f) => n + f.records.length, 0));
    expect(summary.observed + summary.ignored + summary.invalid + summary.filtered).toBe(summary.records);
    expect(summary.alerts).toBe(expected.length);
  });

  it('resumed with a checkpoint after a crash gives the same alerts and summary as an uninterrupted run', async () => {
    const config = parseConfig({ burnInDays: 2 });
    const whole = join(tmp, 'whole.ndjson');
    const uninterrupted = await runReplay(
      { config },
      { source: source('history/'), sink: simulateSink({ config, out: new AlertFileWriter(whole) }) },
    );

    const out = join(tmp, 'resumed.ndjson');
    const checkpointPath = join(tmp, 'simulate.checkpoint.json');
    const crashAfter = Math.floor(generated.history.length * 0.6);
    const options = { config, checkpointPath, checkpointEvery: 25 };
    await expect(
      runReplay(options, {
        source: source('history/'),
        sink: simulateSink({ config, out: new AlertFileWriter(out) }),
        afterObject: (finished) => {
          if (finished === crashAfter) throw new Error('crash');
        },
      }),
    ).rejects.toThrow('crash');

    const reads: string[] = [];
    const resumedSource = source('history/');
    const read = resumedSource.read.bind(resumedSource);
    resumedSource.read = (o) => {
      reads.push(o.key);
      return read(o);
    };
    const resumed = await runReplay(options, {
      source: resumedSource,
      sink: simulateSink({ config, out: new AlertFileWriter(out) }),
    });

    // The last checkpoint before the crash was at the last multiple of 25 objects.
    const checkpointed = Math.floor(crashAfter / 25) * 25;
    expect(reads).toEqual(generated.history.slice(checkpointed).map((f) => f.key));
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    expect(resumed).toEqual(uninterrupted);
  });
});

describe('replay seed', () => {
  it('seeds the history so that a live run alerts exactly as one engine over history and live together', async () => {
    const config = parseConfig({ burnInDays: 7 });
    const { baseline, outbox } = await freshTables();
    const summary = await runReplay(
      { config },
      { source: source('history/'), sink: seedSink({ config, target: baseline, concurrency: 16 }) },
    );
    const liveAlerts = await liveRun(config, baseline, outbox, observedEvents(generated.live, config));

    const historyEvents = observedEvents(generated.history, config);
    const liveEvents = observedEvents(generated.live, config);
    const liveIds = new Set(liveEvents.map((e) => e.eventId));
    const combined = await referenceAlerts([...historyEvents, ...liveEvents], config);
    const expected = combined.filter((a) => liveIds.has(a.eventId)).sort(byEventId);

    expect(expected.length).toBeGreaterThan(5);
    expect(liveAlerts).toEqual(expected);
    expect(summary.alerts).toBe(0);
    // One write per distinct key and per principal.
    const reference = new InMemoryBaselineStore();
    await referenceAlerts(historyEvents, config, reference);
    expect(summary.seed).toEqual({
      keysWritten: reference.size,
      principalsWritten: [...reference.sightingEntries()].length,
    });
  }, 240_000);
});

describe('replay reconcile', () => {
  it('alerts exactly the first occurrences a lossy live run missed, and nothing twice', async () => {
    const config = parseConfig({ burnInDays: 0 });
    const { baseline, outbox, alertsTable } = await freshTables();
    const events = observedEvents(generated.history, config);
    // Every tenth event lost on the way (EventBridge is best effort).
    const lost = new Set(events.filter((_, i) => i % 10 === 3).map((e) => e.eventId));
    const delivered = events.filter((e) => !lost.has(e.eventId));
    const live = await liveRun(config, baseline, outbox, delivered);

    const summary = await runReplay(
      { config, concurrency: 4 },
      {
        source: source('history/'),
        sink: reconcileSink({ config, store: baseline, outbox, concurrency: 16 }),
      },
    );
    const all = await scanAlerts(alertsTable);
    const reconciled = all.filter((a) => a.source === 'reconcile');

    // Reference: the same two passes over the in-memory store.
    const store = new InMemoryBaselineStore();
    const refEngine = new DetectionEngine({ store, config });
    for (const e of delivered) await refEngine.detect(e, 'live');
    const expected: Alert[] = [];
    for (const e of events) {
      const d = await refEngine.detect(e, 'reconcile');
      if (d.alert) expected.push(d.alert);
    }
    // A re-fire for an event live already alerted (docs/semantics.md step 3: firstSuccessEventId = E fires
    // for any source) is stopped by the outbox's conditional put: never a second alert.
    const liveIds = new Set(live.map((a) => a.eventId));
    const fresh = expected.filter((a) => !liveIds.has(a.eventId));
    expect(reconciled).toEqual(fresh.sort(byEventId));
    expect(reconciled.length).toBeGreaterThan(0);
    // Only lost events alert; none already alerted live.
    for (const a of reconciled) expect(lost.has(a.eventId)).toBe(true);
    expect(all.length).toBe(live.length + reconciled.length);
    // Every lost event that is the first occurrence of a key no delivered event has, alerts.
    const deliveredKeys = new Set(delivered.flatMap((e) => [`${e.account}|${e.principal}|${e.action}`]));
    const seen = new Set<string>();
    const reconciledIds = new Set(reconciled.map((a) => a.eventId));
    for (const e of events) {
      const k = `${e.account}|${e.principal}|${e.action}`;
      if (!seen.has(k) && !deliveredKeys.has(k)) expect(reconciledIds.has(e.eventId)).toBe(true);
      seen.add(k);
    }
    expect(summary.reconcile).toEqual({
      alertsWritten: reconciled.length,
      alertsAlreadyPresent: expected.length - fresh.length,
    });

    // A second reconcile alerts nothing new.
    const again = await runReplay(
      { config },
      { source: source('history/'), sink: reconcileSink({ config, store: baseline, outbox }) },
    );
    expect(again.reconcile?.alertsWritten).toBe(0);
    expect((await scanAlerts(alertsTable)).length).toBe(all.length);
  }, 240_000);
});

describe('replay stream', () => {
  it('puts every observed record into Kinesis as an EventBridge envelope keyed by the session issuer', async () => {
    const kinesis = emulators.clients.kinesis!;
    await kinesis.send(new CreateStreamCommand({ StreamName: 'replay-it', ShardCount: 1 }));
    const config = parseConfig({});
    const summary: ReplaySummary = await runReplay(
      { config },
      {
        source: source('live/'),
        sink: streamSink(new KinesisPublisher({ client: kinesis, streamName: 'replay-it' })),
      },
    );
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'replay-it',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const got: { id: string; type: string; key: string; issuer: string }[] = [];
    let iterator = ShardIterator;
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of page.Records ?? []) {
        const env = JSON.parse(Buffer.from(r.Data!).toString('utf8'));
        got.push({
          id: env.detail.eventID,
          type: env['detail-type'],
          key: r.PartitionKey!,
          issuer: env.detail.userIdentity?.sessionContext?.sessionIssuer?.arn ?? env.detail.userIdentity?.arn,
        });
      }
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
    const expected = observedEvents(generated.live, config).map((e) => e.eventId);
    expect(got.map((g) => g.id)).toEqual(expected);
    expect(got.every((g) => g.type.endsWith('via CloudTrail') && g.key === g.issuer)).toBe(true);
    expect(summary.stream?.recordsPut).toBe(expected.length);
  });

  it('puts the records of failed batches from the failure bucket back on the stream', async () => {
    const kinesis = emulators.clients.kinesis!;
    await kinesis.send(new CreateStreamCommand({ StreamName: 'replay-failed', ShardCount: 1 }));
    // Lambda's S3 on-failure record (tests/events), at the key layout Lambda uses.
    const body = readFileSync(join(__dirname, '..', 'events', 'failed-kinesis-batch.json'));
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'aws/lambda/a1b2c3d4-5678-90ab-cdef-123456789abc/shardId-000000000001/2026/12/05/2026-12-05T22.14.03-6c1e0f2e-3b7a-4d55-9f0e-2f8f3b1d9a77',
        Body: body,
      }),
    );
    const summary = await runReplay(
      { config: parseConfig({}) },
      {
        source: source('aws/lambda/'),
        sink: streamSink(new KinesisPublisher({ client: kinesis, streamName: 'replay-failed' })),
      },
    );
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'replay-failed',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 100 }));
    const got = (page.Records ?? []).map((r) => {
      const env = JSON.parse(Buffer.from(r.Data!).toString('utf8'));
      return { id: env.detail.eventID, type: env['detail-type'], key: r.PartitionKey };
    });
    expect(got).toEqual([
      { id: 'evt-1', type: 'AWS API Call via CloudTrail', key: 'arn:aws:iam::444455556666:role/deploy' },
      { id: 'evt-2', type: 'AWS API Call via CloudTrail', key: 'arn:aws:iam::444455556666:role/deploy' },
    ]);
    expect(summary.stream?.recordsPut).toBe(2);
  });
});
