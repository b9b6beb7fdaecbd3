/**
 * `--workers N` (issue 19): the parallel replay means what one thread means. Simulate's `--out`
 * is byte for byte the same and its summary equal; seed leaves the same baseline, read back
 * from DynamoDB Local; a worker that stops fails the run, with nothing written.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Config, parseConfig } from '@firstseen/core';
import { DynamoBaselineStore } from '@firstseen/dynamodb-store';
import { Explainer, InMemoryExplainStore } from '@firstseen/explain';
import { writeCloudTrailS3Layout } from '@firstseen/generator';
import { createBucket, createTables, type LocalEmulators, startLocalEmulators } from '@firstseen/local-stack';
import { CORPUS_DIR, cloudTrailRecord } from '@firstseen/test-support';
import {
  AlertFileWriter,
  LocalObjectSource,
  type ObjectSource,
  ReplayWorkerError,
  runReplay,
  ShardedSeedSpanError,
  SourceAccessError,
  seedSink,
  simulateSink,
} from '../../src';
import { runParallelReplay } from '../../src/parallel';
import { S3ObjectSource, type SourceSpec } from '../../src/sources';
import { type GeneratedHistory, generateHistory, s3rverClient, uploadFiles } from '../helpers/generatedOrg';

const BUCKET = 'replay-workers';
let emulators: LocalEmulators;
let generated: GeneratedHistory;
let tmp: string;
let s3: ReturnType<typeof s3rverClient>;
let endpoint: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emulators = await startLocalEmulators({});
  endpoint = emulators.endpoints.s3!;
  s3 = s3rverClient(endpoint);
  await createBucket(s3, BUCKET);
  generated = generateHistory();
  await uploadFiles(s3, BUCKET, [...generated.history, ...generated.live]);
  tmp = mkdtempSync(join(tmpdir(), 'replay-workers-'));
  // The workers build their own S3 clients: s3rver accepts only its built-in key pair.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
}, 120_000);

afterAll(async () => {
  process.env = savedEnv;
  s3?.destroy();
  await emulators?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** `--workers 1`: runReplay in this thread with the sinks `npm run replay` builds. */
async function oneThreadSimulate(config: Config, source: ObjectSource, out: string) {
  const explainer = new Explainer({ store: new InMemoryExplainStore() });
  return runReplay(
    { config },
    {
      source,
      sink: simulateSink({
        config,
        context: explainer.context,
        observer: explainer.observe,
        out: new AlertFileWriter(out),
      }),
    },
  );
}

const s3Spec: SourceSpec = { kind: 's3', bucket: BUCKET, prefix: '' };
const s3Options = () => ({ region: 'us-east-1', endpoint });

describe('replay simulate --workers N', () => {
  it.each([2, 3])(
    'writes byte-identical alerts and the same summary as one thread (S3, %i workers)',
    async (workers) => {
      const config = parseConfig({ burnInDays: 0 });
      const one = join(tmp, `s3-one-${workers}.ndjson`);
      const many = join(tmp, `s3-many-${workers}.ndjson`);
      const expected = await oneThreadSimulate(config, new S3ObjectSource(s3, BUCKET, ''), one);
      const progress: [number, number][] = [];
      const summary = await runParallelReplay(
        {
          mode: 'simulate',
          config,
          overrides: { burnInDays: 0 },
          source: s3Spec,
          s3: s3Options(),
          workers,
          out: new AlertFileWriter(many),
        },
        {
          progress: {
            start: () => {},
            update: (done, records) => progress.push([done, records]),
            stop: () => {},
          },
        },
      );
      const lines = readFileSync(one, 'utf8').split('\n').length - 1;
      expect(lines).toBeGreaterThan(100);
      expect(lines).toBe(expected.alerts);
      // Explanations count other principals: an organization-wide fact the workers share in order.
      expect(readFileSync(one, 'utf8')).toMatch(/"otherPrincipals":[1-9]/);
      expect(readFileSync(many, 'utf8')).toBe(readFileSync(one, 'utf8'));
      expect(JSON.stringify(summary)).toBe(JSON.stringify(expected));
      // Progress is the workers' together: it ends at every object and every record.
      expect(progress.at(-1)).toEqual([expected.files, expected.records]);
    },
    180_000,
  );

  it('writes byte-identical alerts for the recorded CloudTrail corpus (local files, 2 workers)', async () => {
    const config = parseConfig({ burnInDays: 0 });
    const one = join(tmp, 'corpus-one.ndjson');
    const many = join(tmp, 'corpus-many.ndjson');
    const expected = await oneThreadSimulate(config, new LocalObjectSource(CORPUS_DIR), one);
    const summary = await runParallelReplay({
      mode: 'simulate',
      config,
      overrides: { burnInDays: 0 },
      source: { kind: 'path', path: CORPUS_DIR },
      workers: 2,
      out: new AlertFileWriter(many),
    });
    expect(expected.alerts).toBeGreaterThan(20);
    expect(readFileSync(many, 'utf8')).toBe(readFileSync(one, 'utf8'));
    expect(JSON.stringify(summary)).toBe(JSON.stringify(expected));
  }, 180_000);

  it('fails with the source error, and stops the workers started meanwhile, when the listing fails', async () => {
    const started: Promise<number>[] = [];
    const run = runParallelReplay(
      {
        mode: 'simulate',
        config: parseConfig({}),
        source: { kind: 's3', bucket: 'no-such-bucket', prefix: '' },
        s3: s3Options(),
        workers: 3,
      },
      { onWorker: (worker) => started.push(new Promise((r) => worker.once('exit', r))) },
    );
    await expect(run).rejects.toThrow(SourceAccessError);
    // Both worker threads were started before the listing, and were stopped after it failed.
    expect(started).toHaveLength(2);
    await Promise.all(started);
  }, 60_000);

  it('fails with a clear error when a worker stops (this thread, worker 1, waiting for its events)', async () => {
    const config = parseConfig({});
    const run = runParallelReplay(
      { mode: 'simulate', config, source: s3Spec, s3: s3Options(), workers: 2 },
      {
        // Worker 2 stopped from outside after its first chunk: worker 1 (this thread) must not
        // wait for its events forever.
        onWorker: (worker, index) => {
          if (index === 1) worker.once('message', () => void worker.terminate());
        },
      },
    );
    // Whichever is seen first: worker 2's exit, or its port closing under worker 1.
    await expect(run).rejects.toThrow(
      /^replay worker (2 of 2 stopped \(exit code 1\) before finishing|1 of 2 failed: worker 2 stopped before sending the events of chunk \d+)$/,
    );
  }, 60_000);
});

async function freshBaseline(): Promise<{ store: DynamoBaselineStore; table: string }> {
  const prefix = `w${Math.random().toString(36).slice(2, 8)}`;
  const t = await createTables(emulators.clients.dynamodb!, prefix);
  const table = t.baseline.tableName;
  return { store: new DynamoBaselineStore({ client: emulators.clients.dynamodb!, tableName: table }), table };
}

async function scanTable(table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await emulators.clients.dynamodb!.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return items.sort((a, b) => (String(a.pk) < String(b.pk) ? -1 : 1));
}

describe('replay seed --workers N', () => {
  it('leaves the baseline of one thread (both tables read back from DynamoDB Local)', async () => {
    const config = parseConfig({ burnInDays: 7 });
    const one = await freshBaseline();
    const expected = await runReplay(
      { config },
      {
        source: new S3ObjectSource(s3, BUCKET, 'history/'),
        sink: seedSink({ config, target: one.store, concurrency: 16 }),
      },
    );
    const many = await freshBaseline();
    const summary = await runParallelReplay({
      mode: 'seed',
      config,
      overrides: { burnInDays: 7 },
      source: { kind: 's3', bucket: BUCKET, prefix: 'history/' },
      s3: s3Options(),
      workers: 3,
      seedTarget: many.store,
      concurrency: 16,
    });
    const oneItems = await scanTable(one.table);
    expect(oneItems.length).toBeGreaterThan(100);
    expect(await scanTable(many.table)).toEqual(oneItems);
    expect(summary).toEqual(expected);
    expect(summary.seed).toEqual({ keysWritten: expect.any(Number), principalsWritten: expect.any(Number) });
    expect(summary.seed!.keysWritten).toBeGreaterThan(0);
  }, 240_000);

  it('fails with a clear error when a worker stops, and writes nothing', async () => {
    const config = parseConfig({});
    const target = await freshBaseline();
    const run = runParallelReplay(
      {
        mode: 'seed',
        config,
        source: { kind: 's3', bucket: BUCKET, prefix: '' },
        s3: s3Options(),
        workers: 2,
        seedTarget: target.store,
      },
      {
        // Stopped from outside (as the OOM killer or a fatal error would) once running: the
        // other worker may claim every chunk meanwhile, and the run must still fail.
        onWorker: (worker, index) => {
          if (index === 1) worker.once('online', () => void worker.terminate());
        },
      },
    );
    await expect(run).rejects.toThrow(ReplayWorkerError);
    await expect(run).rejects.toThrow(/^replay worker 2 of 2 stopped \(exit code 1\) before finishing$/);
    expect(await scanTable(target.table)).toEqual([]);
  }, 120_000);

  it('refuses, writing nothing, a history longer than retentionDays (the merge would differ from one seed)', async () => {
    // Two objects 500 days apart: a sequential seed lets their keys expire in between.
    const dir = mkdtempSync(join(tmpdir(), 'replay-span-'));
    const records = ['2024-01-01T10:00:00Z', '2025-05-15T10:00:00Z'].map((eventTime, i) =>
      cloudTrailRecord({ eventId: `span-${i}`, eventTime, role: 'deploy' }),
    );
    writeCloudTrailS3Layout(records as never, { dir, seed: 'span' });
    const config = parseConfig({ retentionDays: 400 });
    const target = await freshBaseline();
    const run = runParallelReplay({
      mode: 'seed',
      config,
      source: { kind: 'path', path: dir },
      workers: 2,
      seedTarget: target.store,
    });
    await expect(run).rejects.toThrow(ShardedSeedSpanError);
    await expect(run).rejects.toThrow(
      /^the history read spans 500 days \(2024-01-01T10:00:00.000Z to 2025-05-15T10:00:00.000Z\), more than retentionDays \(400\): a --workers 2 seed .*nothing was written/,
    );
    expect(await scanTable(target.table)).toEqual([]);
    // Within retentionDays the same objects are seeded.
    const wide = await freshBaseline();
    await runParallelReplay({
      mode: 'seed',
      config: parseConfig({ retentionDays: 600 }),
      source: { kind: 'path', path: dir },
      workers: 2,
      seedTarget: wide.store,
    });
    expect((await scanTable(wide.table)).length).toBeGreaterThan(0);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

describe('npm run replay --workers', () => {
  const REPO = resolve(__dirname, '../../../..');
  it.each([
    ['0', '--workers must be a whole number from 1 to 256, got "0"'],
    ['two', '--workers must be a whole number from 1 to 256, got "two"'],
  ])(
    'refuses --workers %s with one line and the usage, exit 2',
    async (value, message) => {
      const run = await new Promise<{ code: number; stderr: string }>((done) => {
        execFile(
          join(REPO, 'node_modules/.bin/tsx'),
          [join(REPO, 'scripts/src/replay.ts'), CORPUS_DIR, '--workers', value],
          { cwd: REPO },
          (err, _stdout, stderr) => done({ code: err ? Number((err as { code?: number }).code) : 0, stderr }),
        );
      });
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(`replay: ${message}`);
    },
    60_000,
  );
});
