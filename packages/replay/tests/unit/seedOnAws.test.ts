import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
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
