import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineCommand,
  ListMapRunsCommand,
  type MapRunStatus,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import {
  parseReplayArgs,
  ReplayArgumentError,
  replayStateMachineDefinition,
  runSeedOnAwsCommand,
  type ShardSummary,
} from '../../src';

// No Step Functions emulator runs a distributed map with S3 results here: the real SDK v3 clients
// with aws-sdk-client-mock, answering with the responses AWS documents (DescribeStateMachine,
// the trail's ListObjectsV2 pages, PutObject of the range's manifest, StartExecution,
// DescribeExecution, ListMapRuns, DescribeMapRun, and the ResultWriter's manifest.json and
// SUCCEEDED_0.json / FAILED_0.json objects).
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:firstseen-replay';
const EXEC = 'arn:aws:states:eu-west-1:123456789012:execution:firstseen-replay:seed-1';
const MAP_RUN = 'arn:aws:states:eu-west-1:123456789012:mapRun:firstseen-replay/SeedTrailObjects:0f1e2d3c';
const RESULTS = 'firstseen-replay-results';
const PREFIX = 'replay-results/0f1e2d3c';

const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);

const shard = (over: Partial<ShardSummary>): ShardSummary => ({
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

const body = (value: unknown) =>
  ({ transformToString: async () => JSON.stringify(value) }) as unknown as never;

const batchInput = { bucket: 'trail', from: null, to: null, accounts: null, regions: null };
function child(
  status: string,
  keys: string[],
  output?: ShardSummary,
  error?: { Error: string; Cause: string },
) {
  return {
    ExecutionArn: `${EXEC}:${keys[0]}`,
    Input: JSON.stringify({ Items: keys.map((Key) => ({ Key, Size: 100 })), BatchInput: batchInput }),
    InputDetails: { Included: true },
    Name: keys[0],
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

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
  };
}

/** The trail under the prefix: three days of one account and region, listed in two pages. */
const TRAIL_KEYS = ['2024/01/01', '2024/01/15', '2024/03/01'].map(
  (d) =>
    `AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/${d}/111122223333_CloudTrail_eu-west-1_${d.replace(/\//g, '')}T0005Z_x.json.gz`,
);

function answerRun(failed: boolean) {
  sfn.on(DescribeStateMachineCommand).resolves({
    stateMachineArn: SM,
    name: 'firstseen-replay',
    definition: JSON.stringify(
      replayStateMachineDefinition({
        shardFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:firstseen-replay-shard',
        resultBucket: RESULTS,
      }),
    ),
    roleArn: 'arn:aws:iam::123456789012:role/replay',
    type: 'STANDARD',
    creationDate: new Date(),
  });
  s3.on(ListObjectsV2Command)
    .resolvesOnce({
      Contents: TRAIL_KEYS.slice(0, 2).map((Key) => ({ Key, Size: 100 })),
      IsTruncated: true,
      NextContinuationToken: 'page-2',
      KeyCount: 2,
    })
    .resolves({ Contents: [{ Key: TRAIL_KEYS[2], Size: 100 }], IsTruncated: false, KeyCount: 1 });
  s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXEC, startDate: new Date() });
  sfn
    .on(DescribeExecutionCommand)
    .resolvesOnce({ executionArn: EXEC, stateMachineArn: SM, status: 'RUNNING', startDate: new Date() })
    .resolves({
      executionArn: EXEC,
      stateMachineArn: SM,
      status: 'SUCCEEDED',
      startDate: new Date(),
      output: JSON.stringify({
        MapRunArn: MAP_RUN,
        ResultWriterDetails: { Bucket: RESULTS, Key: `${PREFIX}/manifest.json` },
      }),
    });
  sfn.on(ListMapRunsCommand).resolves({
    mapRuns: [{ executionArn: EXEC, mapRunArn: MAP_RUN, stateMachineArn: SM, startDate: new Date() }],
  });
  const counts = (succeeded: number, failedN: number, running: number) => ({
    mapRunArn: MAP_RUN,
    executionArn: EXEC,
    status: (running > 0 ? 'RUNNING' : 'SUCCEEDED') as MapRunStatus,
    startDate: new Date(),
    maxConcurrency: 100,
    toleratedFailurePercentage: 5,
    toleratedFailureCount: 0,
    itemCounts: {
      pending: 0,
      running,
      succeeded,
      failed: failedN,
      timedOut: 0,
      aborted: 0,
      total: 6,
      resultsWritten: succeeded + failedN,
    },
    executionCounts: {
      pending: 0,
      running: 0,
      succeeded: 0,
      failed: 0,
      timedOut: 0,
      aborted: 0,
      total: 3,
      resultsWritten: 0,
    },
  });
  sfn
    .on(DescribeMapRunCommand)
    .resolvesOnce(counts(2, 0, 4))
    .resolves(counts(failed ? 4 : 6, failed ? 2 : 0, 0));
  s3.on(GetObjectCommand, { Bucket: RESULTS, Key: `${PREFIX}/manifest.json` }).resolves({
    Body: body({
      DestinationBucket: RESULTS,
      MapRunArn: MAP_RUN,
      ResultFiles: {
        FAILED: failed ? [{ Key: `${PREFIX}/FAILED_0.json`, Size: 900 }] : [],
        PENDING: [],
        SUCCEEDED: [{ Key: `${PREFIX}/SUCCEEDED_0.json`, Size: 2000 }],
      },
    }),
  });
  const succeeded = [
    child(
      'SUCCEEDED',
      ['a1', 'a2'],
      shard({ firstEventTime: '2024-01-02T00:00:00.000Z', lastEventTime: '2024-01-05T00:00:00.000Z' }),
    ),
    child(
      'SUCCEEDED',
      ['b1', 'b2'],
      shard({
        events: 10,
        records: 12,
        firstEventTime: '2024-01-01T00:00:00.000Z',
        lastEventTime: '2024-01-03T00:00:00.000Z',
      }),
    ),
  ];
  if (!failed) succeeded.push(child('SUCCEEDED', ['c1', 'c2'], shard({})));
  s3.on(GetObjectCommand, { Bucket: RESULTS, Key: `${PREFIX}/SUCCEEDED_0.json` }).resolves({
    Body: body(succeeded),
  });
  s3.on(GetObjectCommand, { Bucket: RESULTS, Key: `${PREFIX}/FAILED_0.json` }).resolves({
    Body: body([
      child('FAILED', ['c1', 'c2'], undefined, {
        Error: 'States.TaskFailed',
        Cause: 'ProvisionedThroughputExceededException',
      }),
    ]),
  });
}

beforeEach(() => {
  sfn.reset();
  s3.reset();
});

const args = (...extra: string[]) =>
  parseReplayArgs(['s3://trail/AWSLogs/o-abc/', '--mode', 'seed', '--on', 'aws', ...extra]);
const run = (a: ReturnType<typeof args>, io: ReturnType<typeof capture>, env: Record<string, string> = {}) =>
  runSeedOnAwsCommand(a, {
    sfn: new SFNClient({ region: 'eu-west-1' }),
    s3: new S3Client({ region: 'eu-west-1' }),
    env: { FIRSTSEEN_REPLAY_STATE_MACHINE_ARN: SM, ...env },
    ...io,
    sleep: async () => {},
  });

describe('npm run replay -- --on aws', () => {
  it('starts an execution with the range, shows the map run, prints the merged summary', async () => {
    answerRun(false);
    const io = capture();
    const code = await run(args('--from', '2024-01-01', '--to', '2024-02-01', '--regions', 'eu-west-1'), io);
    expect(code).toBe(0);
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(start.stateMachineArn).toBe(SM);
    const input = JSON.parse(start.input!);
    // The range's objects were listed (both pages), written to the results bucket, named in the input.
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.StartAfter)).toEqual([
      undefined,
      TRAIL_KEYS[1],
    ]);
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put.Bucket).toBe(RESULTS);
    expect(put.Key).toBe(`replay-manifests/${start.name}.jsonl`);
    expect(input.manifest).toEqual({ bucket: RESULTS, key: put.Key });
    expect(io.out.stderr).toContain('listing done: 3 objects listed, 2 in the range');
    expect(input).toEqual({
      bucket: 'trail',
      prefix: 'AWSLogs/o-abc/',
      manifest: input.manifest,
      from: Date.parse('2024-01-01T00:00:00Z'),
      to: Date.parse('2024-02-01T00:00:00Z'),
      accounts: null,
      regions: ['eu-west-1'],
    });
    expect(io.out.stderr).toContain('map run RUNNING: 2/6 objects (33%), 0 failed, 4 running');
    expect(io.out.stderr).toContain('map run SUCCEEDED: 6/6 objects (100%), 0 failed, 0 running');
    const summary = JSON.parse(io.out.stdout);
    expect(summary).toMatchObject({
      status: 'SUCCEEDED',
      items: { total: 6, succeeded: 6, failed: 0 },
      events: 190,
      records: 212,
      keysWritten: 120,
      failedBatches: 0,
      objectsListed: 3,
      objectsInRange: 2,
      firstEventTime: '2024-01-01T00:00:00.000Z',
      lastEventTime: '2024-01-05T00:00:00.000Z',
    });
    expect(typeof summary.eventsPerSecond).toBe('number');
  });

  it('lists the objects of the batches that failed after their retries, and exits 1', async () => {
    answerRun(true);
    const io = capture();
    expect(await run(args(), io)).toBe(1);
    expect(io.out.stderr).toContain(
      'replay: batch failed (States.TaskFailed: ProvisionedThroughputExceededException): c1 c2',
    );
    expect(JSON.parse(io.out.stdout)).toMatchObject({ failedBatches: 1, events: 100, items: { failed: 2 } });
  });

  it('says where the state machine comes from when none is given', async () => {
    const io = capture();
    await expect(
      runSeedOnAwsCommand(args(), {
        sfn: new SFNClient({ region: 'eu-west-1' }),
        s3: new S3Client({ region: 'eu-west-1' }),
        env: {},
        ...io,
      }),
    ).rejects.toThrow(/--state-machine-arn ARN or FIRSTSEEN_REPLAY_STATE_MACHINE_ARN/);
  });

  it.each([
    [['s3://trail/x/', '--on', 'aws'], /--on aws is for --mode seed/],
    [['./dir', '--mode', 'seed', '--on', 'aws'], /needs an s3:\/\/bucket\/prefix source/],
    [
      ['s3://trail/x/', '--mode', 'seed', '--on', 'aws', '--checkpoint', 'c.json'],
      /--checkpoint does not apply/,
    ],
    [['s3://trail/x/', '--mode', 'seed', '--on', 'cloud'], /--on must be local or aws/],
    [['s3://trail/x/', '--mode', 'seed', '--state-machine-arn', SM], /--state-machine-arn is for --on aws/],
    [
      ['s3://trail/x/', '--mode', 'seed', '--on', 'aws', '--state-machine-arn', 'nope'],
      /not a state machine ARN/,
    ],
  ])('refuses %j in one line', (argv, message) => {
    expect(() => parseReplayArgs(argv)).toThrow(ReplayArgumentError);
    expect(() => parseReplayArgs(argv)).toThrow(message);
  });
});
