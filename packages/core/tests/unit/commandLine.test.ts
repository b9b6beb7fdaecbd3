import { HelpRequested, numberOption, parseCommandLine, UsageError } from '../../src';

describe('parseCommandLine()', () => {
  const options = { seed: { type: 'string' }, json: { type: 'boolean' } } as const;

  it('returns the typed values and positionals of a valid command line', () => {
    const { values, positionals } = parseCommandLine(['in.json', '--seed', '7', '--json'], options, true);
    expect(values).toMatchObject({ seed: '7', json: true });
    expect(positionals).toEqual(['in.json']);
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--seed'], "Option '--seed <value>' argument missing"],
    [['stray'], "Unexpected argument 'stray'"],
    [['--json=yes'], "Option '--json' does not take an argument"],
  ])('refuses %j with a one-line UsageError', (argv, message) => {
    let error: unknown;
    try {
      parseCommandLine(argv, options);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it.each([['--help'], ['-h']])('answers %s with HelpRequested, whatever else is given', (flag) => {
    expect(() => parseCommandLine(['--seed', '1', flag], options)).toThrow(HelpRequested);
  });
});

describe('numberOption()', () => {
  it('reads a number and leaves an absent option undefined', () => {
    expect(numberOption('hours', '1.5', { exclusiveMin: 0 })).toBe(1.5);
    expect(numberOption('hours', undefined, { exclusiveMin: 0 })).toBeUndefined();
  });

  it.each([
    ['seed', 'abc', { integer: true }, '--seed must be an integer, got "abc"'],
    ['seed', '1.5', { integer: true }, '--seed must be an integer'],
    ['hours', '0', { exclusiveMin: 0 }, '--hours must be a positive number, got "0"'],
    ['hours', '', { exclusiveMin: 0 }, '--hours must be a number'],
    ['min-age-minutes', '-1', { min: 0 }, '--min-age-minutes must be at least 0'],
  ] as const)('refuses --%s %j', (name, value, rules, message) => {
    expect(() => numberOption(name, value, rules)).toThrow(UsageError);
    expect(() => numberOption(name, value, rules)).toThrow(message);
  });
});
