import { HelpRequested, UsageError } from '@firstseen/core';
import { ReplayArgumentError, SourceAccessError } from '@firstseen/replay';
import { type Command, describeFailure } from '../../src/runCommand';

const command: Command = {
  name: 'replay',
  usage: 'usage: npm run replay -- <source> [options]\n\n  --mode M',
  usageErrors: [ReplayArgumentError],
  inputErrors: [SourceAccessError],
  run: async () => 0,
};

describe('describeFailure()', () => {
  it('prints the usage on stdout and exits 0 for --help', () => {
    expect(describeFailure(command, new HelpRequested())).toEqual({
      exitCode: 0,
      stdout: `${command.usage}\n`,
      stderr: '',
    });
  });

  it.each([
    ['the shared UsageError', new UsageError('unknown option --bogus')],
    ["the command's own usage error", new ReplayArgumentError('unknown option --bogus')],
  ])('answers %s with one line, then the usage, exit 2', (_what, err) => {
    const outcome = describeFailure(command, err);
    expect(outcome.exitCode).toBe(2);
    const [first, blank, ...usage] = outcome.stderr.trimEnd().split('\n');
    expect(first).toBe('replay: unknown option --bogus');
    expect(blank).toBe('');
    expect(usage.join('\n')).toBe(command.usage);
  });

  it('answers an input error with its one line, exit 2, no usage and no stack', () => {
    const outcome = describeFailure(command, new SourceAccessError('bucket b does not exist'));
    expect(outcome).toEqual({ exitCode: 2, stdout: '', stderr: 'replay: bucket b does not exist\n' });
  });

  it('answers anything else with one line, exit 1, and the stack only at debug level', () => {
    const err = new Error('socket hang up');
    expect(describeFailure(command, err, {})).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'replay failed: socket hang up\n',
    });
    expect(describeFailure(command, err, { FIRSTSEEN_LOG_LEVEL: 'debug' }).stderr).toContain('at ');
  });
});
