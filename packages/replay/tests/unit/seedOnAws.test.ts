import { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { parseReplayArgs, ReplayArgumentError, runSeedOnAwsCommand } from '../../src';

// The command's arguments, refused before any AWS call. Its runs against Step Functions
// (aws-sdk-client-mock) and the map run's results in s3rver: tests/integration/seedOnAwsResults.test.ts.
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:firstseen-replay';

const capture = () => ({ stdout: { write: () => true }, stderr: { write: () => true } });
const args = (...extra: string[]) =>
  parseReplayArgs(['s3://trail/AWSLogs/o-abc/', '--mode', 'seed', '--on', 'aws', ...extra]);

describe('npm run replay -- --on aws', () => {
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

// Step Functions has no emulator here: the real SDK v3 client with aws-sdk-client-mock, answering
// ListExecutions (stateMachineArn, statusFilter RUNNING) as AWS documents it.
describe('npm run replay -- --on aws while a seed runs', () => {
  const sfn = mockClient(SFNClient);
  afterEach(() => sfn.reset());
  afterAll(() => sfn.restore());
  const RUNNING = `arn:aws:states:eu-west-1:123456789012:execution:firstseen-replay:seed-2024-06-01T10-00-00-000Z-abc123`;
  const run = () =>
    runSeedOnAwsCommand(args(), {
      sfn: new SFNClient({ region: 'eu-west-1' }),
      s3: new S3Client({ region: 'eu-west-1' }),
      env: { FIRSTSEEN_REPLAY_STATE_MACHINE_ARN: SM },
      ...capture(),
    });

  it('refuses to start while an execution of the same state machine is RUNNING, naming it and how to stop it', async () => {
    sfn.on(ListExecutionsCommand, { stateMachineArn: SM, statusFilter: 'RUNNING' }).resolves({
      executions: [
        {
          executionArn: RUNNING,
          stateMachineArn: SM,
          name: 'seed-2024-06-01T10-00-00-000Z-abc123',
          status: 'RUNNING',
          startDate: new Date('2024-06-01T10:00:00Z'),
        },
      ],
    });
    const failure = run();
    await expect(failure).rejects.toThrow(
      'execution seed-2024-06-01T10-00-00-000Z-abc123 of arn:aws:states:eu-west-1:123456789012:stateMachine:firstseen-replay is still RUNNING since 2024-06-01T10:00:00.000Z',
    );
    await expect(failure).rejects.toThrow(`aws stepfunctions stop-execution --execution-arn ${RUNNING}`);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(1); // nothing listed, written or started
  });

  it('asks for the RUNNING executions of the state machine first, and goes on when there are none', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    // The next step (the range's manifest: DescribeStateMachine for its bucket) is refused here.
    sfn
      .on(DescribeStateMachineCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    await expect(run()).rejects.toThrow(/describing .* failed \(AccessDeniedException/);
    const calls = sfn.calls().map((c) => c.args[0].constructor.name);
    expect(calls).toEqual(['ListExecutionsCommand', 'DescribeStateMachineCommand']);
    expect(sfn.commandCalls(ListExecutionsCommand)[0]!.args[0].input).toMatchObject({
      stateMachineArn: SM,
      statusFilter: 'RUNNING',
    });
  });
});
