import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  type MapRunStatus,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { createBucket, type LocalS3, startS3rver } from '@firstseen/local-stack';
import { mockClient } from 'aws-sdk-client-mock';
import {
  parseReplayArgs,
  replayStateMachineDefinition,
  runSeedOnAwsCommand,
  SeedOnAwsError,
  type ShardSummary,
} from '../../src';
import { parseObjectKey } from '../../src/objectKeys';
import { ShardSummaryTotal } from '../../src/shard/ShardSummaryTotal';
import { s3rverClient } from '../helpers/generatedOrg';

// `--on aws` reading a map run's results. No emulator runs a distributed map, so Step Functions
// is the real SDK v3 client with aws-sdk-client-mock, answering as AWS documents StartExecution,
// DescribeExecution (a FAILED execution has `error` and `cause` and no `output`),
// DescribeStateMachineForExecution, ListMapRuns, DescribeMapRun and ListExecutions (a map run's
// children). The results are real objects in s3rver, laid out as the ResultWriter writes them
// (Step Functions developer guide, "ResultWriter"): `<Prefix>/<map run id>/manifest.json` naming
// SUCCEEDED_<n>.json, FAILED_<n>.json and PENDING_<n>.json, each a JSON array of child executions.
// The trail (four objects, never read: the shards are Step Functions' answers) is in s3rver too:
// the command lists it and writes the range's manifest before it starts the execution.
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:firstseen-replay';
const EXEC = 'arn:aws:states:eu-west-1:123456789012:execution:firstseen-replay:seed-1';
const RUN_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const MAP_RUN = `arn:aws:states:eu-west-1:123456789012:mapRun:firstseen-replay/seed:${RUN_ID}`;
const RESULTS = 'firstseen-replay-results';
const FOLDER = `replay-results/${RUN_ID}`;
const child = (n: number) =>
  `arn:aws:states:eu-west-1:123456789012:execution:firstseen-replay/seed:batch-${n}`;

const sfn = mockClient(SFNClient);
let local: LocalS3;
let s3: S3Client;

beforeAll(async () => {
  local = await startS3rver();
  s3 = s3rverClient(local.endpoint);
  await createBucket(s3, RESULTS);
  await createBucket(s3, 'trail');
  for (const day of ['01', '02', '03', '04'])
    await s3.send(
      new PutObjectCommand({
        Bucket: 'trail',
        Key: `AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2024/01/${day}/111122223333_CloudTrail_eu-west-1_202401${day}T0005Z_a.json.gz`,
        Body: '',
      }),
    );
});

afterAll(async () => {
  s3?.destroy();
  await local?.stop();
});

beforeEach(() => sfn.reset());

const shard = (over: Partial<ShardSummary> = {}): ShardSummary => ({
  objects: 2,
  skipped: 0,
  files: 2,
  records: 100,
  events: 90,
  ignored: 6,
  invalid: 4,
  filtered: 0,
  keysWritten: 40,
  principalsWritten: 3,
  throttledWrites: 0,
  errors: [],
  durationMs: 1500,
  ...over,
});

const batchInput = { bucket: 'trail', from: null, to: null, accounts: null, regions: null };

/** One entry of a result file, as the ResultWriter writes it. */
function entry(
  n: number,
  status: 'SUCCEEDED' | 'FAILED' | 'PENDING',
  keys: string[],
  output?: ShardSummary,
  error?: { Error: string; Cause: string },
) {
  return {
    ExecutionArn: child(n),
    Input: JSON.stringify({ Items: keys.map((Key) => ({ Key, Size: 100 })), BatchInput: batchInput }),
    InputDetails: { Included: true },
    Name: `batch-${n}`,
    ...(output && { Output: JSON.stringify(output), OutputDetails: { Included: true } }),
    ...error,
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    StartDate: '2024-03-01T10:00:00.000Z',
    StateMachineArn: SM,
    Status: status,
    StopDate: '2024-03-01T10:00:05.000Z',
  };
}

type Files = Partial<Record<'SUCCEEDED' | 'FAILED' | 'PENDING', unknown[][]>>;

/** The result files and their manifest, in s3rver. */
async function writeResults(files: Files): Promise<void> {
  const listed: Record<string, { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const [status, contents] of Object.entries(files)) {
    for (const [n, entries] of (contents ?? []).entries()) {
      const Key = `${FOLDER}/${status}_${n}.json`;
      const Body = JSON.stringify(entries);
      await s3.send(new PutObjectCommand({ Bucket: RESULTS, Key, Body }));
      listed[status]!.push({ Key, Size: Body.length });
    }
  }
  await writeManifest(listed);
}

/** The map run's manifest.json naming its result files, in s3rver. */
async function writeManifest(resultFiles: Record<string, { Key: string; Size: number }[]>): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: RESULTS,
      Key: `${FOLDER}/manifest.json`,
      Body: JSON.stringify({ DestinationBucket: RESULTS, MapRunArn: MAP_RUN, ResultFiles: resultFiles }),
    }),
  );
}

const counts = (status: MapRunStatus, total: number, succeeded: number, failed: number, running: number) => ({
  mapRunArn: MAP_RUN,
  executionArn: EXEC,
  status,
  startDate: new Date(),
  maxConcurrency: 100,
  toleratedFailurePercentage: 5,
  toleratedFailureCount: 0,
  itemCounts: {
    pending: total - succeeded - failed - running,
    running,
    succeeded,
    failed,
    timedOut: 0,
    aborted: 0,
    total,
    resultsWritten: succeeded + failed,
  },
  executionCounts: {
    pending: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    aborted: 0,
    total: Math.ceil(total / 2),
    resultsWritten: 0,
  },
});

/** Step Functions' answers for an execution that ends with `final` after one RUNNING poll. */
function answer(final: 'SUCCEEDED' | 'FAILED' | 'ABORTED', total: number, succeeded: number, failed: number) {
  const definition = JSON.stringify(
    replayStateMachineDefinition({
      shardFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:firstseen-replay-shard',
      resultBucket: RESULTS,
    }),
  );
  sfn.on(DescribeStateMachineCommand).resolves({
    stateMachineArn: SM,
    name: 'firstseen-replay',
    definition,
    roleArn: 'arn:aws:iam::123456789012:role/firstseen-replay',
    type: 'STANDARD',
    creationDate: new Date(),
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXEC, startDate: new Date() });
  const ended =
    final === 'SUCCEEDED'
      ? {
          output: JSON.stringify({
            MapRunArn: MAP_RUN,
            ResultWriterDetails: { Bucket: RESULTS, Key: `${FOLDER}/manifest.json` },
          }),
          outputDetails: { included: true },
        }
      : final === 'FAILED'
        ? {
            error: 'States.ExceedToleratedFailureThreshold',
            cause: 'The specified tolerated failure threshold was exceeded',
          }
        : {}; // StopExecution without an error or a cause
  sfn
    .on(DescribeExecutionCommand)
    .resolvesOnce({ executionArn: EXEC, stateMachineArn: SM, status: 'RUNNING', startDate: new Date() })
    .resolves({
      executionArn: EXEC,
      stateMachineArn: SM,
      status: final,
      startDate: new Date(),
      stopDate: new Date(),
      ...ended,
    });
  sfn.on(DescribeStateMachineForExecutionCommand).resolves({
    stateMachineArn: SM,
    name: 'firstseen-replay',
    definition: JSON.stringify(
      replayStateMachineDefinition({
        shardFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:firstseen-replay-shard',
        resultBucket: RESULTS,
      }),
    ),
    roleArn: 'arn:aws:iam::123456789012:role/firstseen-replay',
    updateDate: new Date(),
  });
  sfn.on(ListMapRunsCommand).resolves({
    mapRuns: [{ executionArn: EXEC, mapRunArn: MAP_RUN, stateMachineArn: SM, startDate: new Date() }],
  });
  sfn
    .on(DescribeMapRunCommand)
    .resolvesOnce(counts('RUNNING', total, Math.min(2, total), 0, Math.min(2, total - Math.min(2, total))))
    .resolves(counts(final, total, succeeded, failed, 0));
  // The newest finished children (ListExecutions by mapRunArn) and their outputs: the events/s sample.
  sfn.on(ListExecutionsCommand).resolves({
    executions: [
      {
        executionArn: child(0),
        stateMachineArn: SM,
        name: 'batch-0',
        status: 'SUCCEEDED',
        startDate: new Date(),
        stopDate: new Date(),
        mapRunArn: MAP_RUN,
      },
    ],
  });
  sfn.on(DescribeExecutionCommand, { executionArn: child(0) }).resolves({
    executionArn: child(0),
    stateMachineArn: SM,
    status: 'SUCCEEDED',
    startDate: new Date(),
    output: JSON.stringify(shard({ objects: 2, events: 1000 })),
  });
  // No other execution of the state machine is RUNNING (ListExecutions by stateMachineArn).
  sfn
    .on(ListExecutionsCommand, { stateMachineArn: SM, statusFilter: 'RUNNING' })
    .resolves({ executions: [] });
}

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
  };
}

const args = (...extra: string[]) =>
  parseReplayArgs(['s3://trail/AWSLogs/o-abc/', '--mode', 'seed', '--on', 'aws', ...extra]);

// A clock that moves 10 s a poll, so that the events/s estimate has a known elapsed time.
function run(io: ReturnType<typeof capture>, a = args(), extra: { failedLimit?: number } = {}) {
  return runSeedOnAwsCommand(a, {
    sfn: new SFNClient({ region: 'eu-west-1' }),
    s3,
    env: { FIRSTSEEN_REPLAY_STATE_MACHINE_ARN: SM },
    ...io,
    sleep: async () => {},
    clock: (() => {
      let now = 0;
      return () => (now += 10_000);
    })(),
    ...extra,
  });
}

describe('npm run replay -- --on aws: the map run results', () => {
  it('reports a FAILED execution: the summary of the shards that succeeded, each failed batch, then the reason, exit 1', async () => {
    answer('FAILED', 8, 4, 2);
    await writeResults({
      SUCCEEDED: [
        [
          entry(0, 'SUCCEEDED', ['a1', 'a2'], shard({ firstEventTime: '2024-01-02T00:00:00.000Z' })),
          entry(1, 'SUCCEEDED', ['b1', 'b2'], shard({ events: 10, records: 12 })),
        ],
      ],
      FAILED: [
        [
          entry(2, 'FAILED', ['c1', 'c2'], undefined, {
            Error: 'States.TaskFailed',
            Cause: JSON.stringify({
              errorType: 'ProvisionedThroughputExceededException',
              errorMessage: 'Rate of requests exceeds the allowed throughput.',
              trace: ['at seedKey', 'at runReplay'],
            }),
          }),
        ],
      ],
      PENDING: [[entry(3, 'PENDING', ['d1', 'd2'])]],
    });
    const io = capture();
    expect(await run(io)).toBe(1);
    expect(JSON.parse(io.out.stdout)).toMatchObject({
      status: 'FAILED',
      items: { total: 8, succeeded: 4, failed: 2 },
      events: 100,
      records: 112,
      keysWritten: 80,
      failedBatches: 2,
      results: `s3://${RESULTS}/${FOLDER}/manifest.json`,
      failedResults: [`s3://${RESULTS}/${FOLDER}/FAILED_0.json`, `s3://${RESULTS}/${FOLDER}/PENDING_0.json`],
      firstEventTime: '2024-01-02T00:00:00.000Z',
    });
    const lines = io.out.stderr.trim().split('\n');
    expect(lines).toContain(
      'replay: batch failed (States.TaskFailed: ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput.): c1 c2',
    );
    expect(lines).toContain('replay: batch not run (not run): d1 d2');
    expect(lines.at(-1)).toBe(
      `replay: execution FAILED: States.ExceedToleratedFailureThreshold: The specified tolerated failure threshold was exceeded after 6/8 objects, 2 failed (${EXEC})`,
    );
  });

  it('reads the results of a SUCCEEDED execution where its output says, and exits 0', async () => {
    answer('SUCCEEDED', 4, 4, 0);
    await writeResults({
      SUCCEEDED: [
        [entry(0, 'SUCCEEDED', ['a1', 'a2'], shard()), entry(1, 'SUCCEEDED', ['b1', 'b2'], shard())],
      ],
    });
    const io = capture();
    expect(await run(io)).toBe(0);
    expect(JSON.parse(io.out.stdout)).toMatchObject({ status: 'SUCCEEDED', events: 180, failedBatches: 0 });
    expect(sfn.commandCalls(DescribeStateMachineForExecutionCommand)).toHaveLength(0);
    // The sampled batch seeded 1,000 events from 2 objects: 2 objects done after 10 s is ~100 events/s,
    // 4 after 20 s still 100 (the same batch, listed again, is not counted twice).
    expect(io.out.stderr).toContain(
      'map run RUNNING: 2/4 objects (50%), 0 failed, 2 running, ~100 events/s (est. from 1 batch), 10 s',
    );
    expect(io.out.stderr).toContain(
      'map run SUCCEEDED: 4/4 objects (100%), 0 failed, 0 running, ~100 events/s (est. from 1 batch), 20 s',
    );
  });

  it('lists the first 1,000 failed batches of many result files, counts the rest and names the files', async () => {
    answer('FAILED', 3600, 1200, 2400);
    const keys = (n: number) => [`k${n}a`, `k${n}b`];
    const bad = (n: number) => [
      { key: `k${n}a`, reason: 'bad-gzip' as const, detail: 'gunzip failed (Z_DATA_ERROR)' },
      { key: `k${n}b`, reason: 'not-json' as const, detail: 'not JSON' },
    ];
    let n = 0;
    const succeeded = Array.from({ length: 30 }, () =>
      Array.from({ length: 20 }, () => entry(n, 'SUCCEEDED', keys(n), shard({ errors: bad(n++) }))),
    );
    const failed = Array.from({ length: 3 }, () =>
      Array.from({ length: 400 }, () =>
        entry(n, 'FAILED', keys(n++), undefined, { Error: 'States.Timeout', Cause: 'timed out' }),
      ),
    );
    await writeResults({ SUCCEEDED: succeeded, FAILED: failed });
    const io = capture();
    expect(await run(io)).toBe(1);
    const summary = JSON.parse(io.out.stdout);
    expect(summary).toMatchObject({
      events: 600 * 90,
      objects: 1200,
      failedBatches: 1200,
      errorsNotListed: 200,
    });
    expect(summary.errors).toHaveLength(1000);
    const failedFiles = [0, 1, 2].map((i) => `s3://${RESULTS}/${FOLDER}/FAILED_${i}.json`);
    expect(summary.failedResults).toEqual(failedFiles);
    const lines = io.out.stderr.trim().split('\n');
    expect(
      lines.filter((l) => l.startsWith('replay: batch failed (States.Timeout: timed out): ')),
    ).toHaveLength(1000);
    expect(lines).toContain(
      `replay: 200 more failed batch(es) not listed; all are in ${failedFiles.join(' ')}`,
    );
    expect(lines).toContain(
      `replay: 200 more bad object(s) not listed; each is in its shard's output in s3://${RESULTS}/${FOLDER}/manifest.json's SUCCEEDED files`,
    );
  });

  it('streams a large result file: the heap does not grow with the file', async () => {
    // 10,000 batches of 50 objects: a 60 MB SUCCEEDED file. Read whole (one string, then every
    // entry parsed at once) it would take well over 100 MB of heap; streamed, one entry at a time.
    answer('SUCCEEDED', 500_000, 500_000, 0);
    const objectKeys = (n: number) =>
      Array.from(
        { length: 50 },
        (_, i) =>
          `AWSLogs/o-abc/123456789012/CloudTrail/eu-west-1/2024/03/01/123456789012_CloudTrail_eu-west-1_20240301T0000Z_${n}x${i}.json.gz`,
      );
    const parts: Buffer[] = [Buffer.from('[')];
    for (let n = 0; n < 10_000; n++)
      parts.push(
        Buffer.from(
          `${n ? ',' : ''}${JSON.stringify(entry(n, 'SUCCEEDED', objectKeys(n), shard({ objects: 50 })))}`,
        ),
      );
    parts.push(Buffer.from(']'));
    const body = Buffer.concat(parts);
    parts.length = 0;
    expect(body.length).toBeGreaterThan(50_000_000);
    const Key = `${FOLDER}/SUCCEEDED_0.json`;
    await s3.send(new PutObjectCommand({ Bucket: RESULTS, Key, Body: body }));
    await writeManifest({ FAILED: [], PENDING: [], SUCCEEDED: [{ Key, Size: body.length }] });
    // The heap is measured where each shard is added to the total: then a whole-file read would
    // hold every entry of the file (a timer could not see it: the parse and the loop never yield).
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const add = ShardSummaryTotal.prototype.add;
    let added = 0;
    const spy = jest.spyOn(ShardSummaryTotal.prototype, 'add').mockImplementation(function (
      this: ShardSummaryTotal,
      s,
    ) {
      if (++added % 250 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      add.call(this, s);
    });
    const io = capture();
    try {
      expect(await run(io)).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(added).toBe(10_000);
    expect(JSON.parse(io.out.stdout)).toMatchObject({ objects: 500_000, events: 10_000 * 90 });
    expect(peak - before).toBeLessThan(40_000_000);
  }, 60_000);

  it('lists the range, writes its manifest into the results bucket and names it in the execution input', async () => {
    answer('SUCCEEDED', 2, 2, 0);
    await writeResults({ SUCCEEDED: [[entry(0, 'SUCCEEDED', ['a1', 'a2'], shard())]] });
    const io = capture();
    expect(await run(io, args('--from', '2024-01-03', '--to', '2024-01-04'))).toBe(0);
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    const input = JSON.parse(start.input!);
    expect(input.manifest).toEqual({ bucket: RESULTS, key: `replay-manifests/${start.name}.jsonl` });
    const got = await s3.send(new GetObjectCommand({ Bucket: RESULTS, Key: input.manifest.key }));
    const days = (await got.Body!.transformToString())
      .trimEnd()
      .split('\n')
      .map((l) => parseObjectKey((JSON.parse(l) as { Key: string }).Key).day);
    // Files of 2024-01-02 to 2024-01-04 can hold events of 2024-01-03 (keyMayMatch); 2024-01-01 cannot.
    expect(days).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4)]);
    expect(io.out.stderr).toContain('replay: listing done: 4 objects listed, 3 in the range');
    expect(JSON.parse(io.out.stdout)).toMatchObject({ objectsListed: 4, objectsInRange: 3 });
  });

  it.each([
    ['a prefix with no objects', 's3://trail/AWSLogs/o-empty/', [], 0],
    [
      'a range with no objects',
      's3://trail/AWSLogs/o-abc/',
      ['--from', '2031-01-01', '--to', '2031-02-01'],
      4,
    ],
  ])('says in one line that %s has nothing to seed, and starts nothing', async (_, source, range, listed) => {
    answer('SUCCEEDED', 0, 0, 0);
    const io = capture();
    const a = parseReplayArgs([source, '--mode', 'seed', '--on', 'aws', ...range]);
    await expect(run(io, a)).rejects.toThrow(SeedOnAwsError);
    await expect(run(io, a)).rejects.toThrow(
      `${source}: no trail object in the range (${listed} objects listed); check the prefix, --from/--to, --accounts and --regions`,
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('says in one line that objects with no trail file in the range seeded nothing, and exits 2', async () => {
    answer('SUCCEEDED', 4, 4, 0);
    const outside = shard({
      skipped: 2,
      files: 0,
      records: 0,
      events: 0,
      ignored: 0,
      invalid: 0,
      keysWritten: 0,
      principalsWritten: 0,
    });
    await writeResults({
      SUCCEEDED: [
        [entry(0, 'SUCCEEDED', ['a1', 'a2'], outside), entry(1, 'SUCCEEDED', ['b1', 'b2'], outside)],
      ],
    });
    const io = capture();
    expect(await run(io)).toBe(2);
    expect(io.out.stderr.trim().split('\n').at(-1)).toBe(
      'replay: none of the 4 object(s) under s3://trail/AWSLogs/o-abc/ is a trail file in the range and filters given: nothing seeded',
    );
  });

  it('lists the failed batches of a SUCCEEDED run that tolerated them, and exits 1', async () => {
    answer('SUCCEEDED', 6, 4, 2);
    await writeResults({
      SUCCEEDED: [
        [entry(0, 'SUCCEEDED', ['a1', 'a2'], shard()), entry(1, 'SUCCEEDED', ['b1', 'b2'], shard())],
      ],
      FAILED: [[entry(2, 'FAILED', ['c1', 'c2'], undefined, { Error: 'States.Timeout', Cause: '' })]],
    });
    const io = capture();
    expect(await run(io)).toBe(1);
    expect(JSON.parse(io.out.stdout)).toMatchObject({ status: 'SUCCEEDED', events: 180, failedBatches: 1 });
    const lines = io.out.stderr.trim().split('\n');
    expect(lines).toContain('replay: batch failed (States.Timeout): c1 c2');
    expect(lines.at(-1)).toBe('replay: 1 batch(es) failed after their retries (see above)');
  });

  it('says why an execution that wrote no results reports none, then why it failed, and exits 1', async () => {
    answer('ABORTED', 8, 2, 0);
    await s3.send(new DeleteObjectCommand({ Bucket: RESULTS, Key: `${FOLDER}/manifest.json` }));
    const io = capture();
    expect(await run(io)).toBe(1);
    expect(JSON.parse(io.out.stdout)).toMatchObject({ status: 'ABORTED', events: 0, failedBatches: 0 });
    const lines = io.out.stderr.trim().split('\n');
    expect(lines.at(-2)).toMatch(
      new RegExp(
        `^replay: no results to report: reading the map run's results s3://${RESULTS}/${FOLDER}/manifest.json failed \\(NoSuchKey: `,
      ),
    );
    expect(lines.at(-1)).toBe(`replay: execution ABORTED after 2/8 objects, 0 failed (${EXEC})`);
  });
});
