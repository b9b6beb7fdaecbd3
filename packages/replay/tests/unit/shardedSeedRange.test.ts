import { checkShardedSeedRange, parseReplayArgs, ReplayArgumentError } from '../../src';

const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:firstseen-replay';
const seed = (...extra: string[]) => parseReplayArgs(['./trail', '--mode', 'seed', ...extra]);
const onAws = (...extra: string[]) =>
  parseReplayArgs([
    's3://trail/AWSLogs/o-abc/',
    '--mode',
    'seed',
    '--on',
    'aws',
    '--state-machine-arn',
    SM,
    ...extra,
  ]);
const range = ['--from', '2024-01-01T00:00:00Z', '--to', '2024-04-01T00:00:00Z']; // 91 days

// docs/semantics.md "Sharded seed": its stated limit, checked before a sharded seed runs.
describe('checkShardedSeedRange()', () => {
  it('refuses a --workers N seed over a range longer than retentionDays, naming both numbers', () => {
    const run = () => checkShardedSeedRange(seed('--workers', '2', ...range), 90);
    expect(run).toThrow(ReplayArgumentError);
    expect(run).toThrow(
      '--from/--to span 91 days, more than retentionDays (90): a --workers 2 seed equals a sequential seed only within retentionDays',
    );
  });

  it('refuses an --on aws seed over a range longer than retentionDays', () => {
    expect(() => checkShardedSeedRange(onAws(...range), 30)).toThrow(
      /span 91 days, more than retentionDays \(30\): a --on aws seed .* or seed locally with --workers 1$/,
    );
  });

  it('accepts a range within retentionDays, and any range for one worker or another mode', () => {
    expect(checkShardedSeedRange(seed('--workers', '2', ...range), 91)).toBeUndefined();
    expect(checkShardedSeedRange(onAws(...range), 400)).toBeUndefined();
    expect(checkShardedSeedRange(seed('--workers', '1', ...range), 30)).toBeUndefined();
    expect(
      checkShardedSeedRange(
        parseReplayArgs(['./trail', '--mode', 'simulate', '--workers', '2', ...range]),
        30,
      ),
    ).toBeUndefined();
  });

  it('warns of an open range on AWS (a local seed checks the history it read, before writing)', () => {
    expect(checkShardedSeedRange(onAws('--from', '2024-01-01T00:00:00Z'), 90)).toMatch(
      /^replay: warning: a --on aws seed without both --from and --to: .* at most retentionDays \(90\) days/,
    );
    expect(checkShardedSeedRange(onAws(), 90)).toMatch(/a --on aws seed without both --from and --to/);
    expect(
      checkShardedSeedRange(seed('--workers', '2', '--from', '2024-01-01T00:00:00Z'), 90),
    ).toBeUndefined();
  });
});
