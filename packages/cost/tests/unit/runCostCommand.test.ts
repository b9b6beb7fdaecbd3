import { runCostCommand } from '../../src';

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCostCommand(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run cost', () => {
  it('prints the documented JSON shape', () => {
    const r = run(['--events-per-day', '1e8', '--accounts', '50', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { monthlyUsd: { total: number; byService: Record<string, number> } };
    expect(json.monthlyUsd.total).toBeGreaterThan(0);
    for (const s of [
      'eventbridge',
      'kinesis',
      'lambda',
      'dynamodb',
      'kms',
      'cloudwatchLogs',
      's3',
      'secretsManager',
    ]) {
      expect(typeof json.monthlyUsd.byService[s]).toBe('number');
    }
  });

  it('compares the three feeds in one table', () => {
    const r = run(['--events-per-day', '1000000', '--compare', 'feed']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/eventbridge\s+trail\s+both/);
    expect(r.out).toMatch(/^Total/m);
  });

  it('shows what S3 data events cost per feed: CloudTrail bills each, the trail feed carries them cheapest', () => {
    const r = run(['--events-per-day', '1e8', '--s3-data-events-per-day', '1e8', '--compare', 'feed']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('100,000,000 S3 data events/day');
    expect(r.out).toMatch(/^CloudTrail \(S3 data events\)\s+\$3,041\.67\s+\$3,041\.67\s+\$3,041\.67$/m);
    const row = r.out.split('\n').find((l) => l.startsWith('of which S3 data events'))!;
    const [eventbridge, trail] = [...row.matchAll(/\$([\d,.]+)/g)].map((m) =>
      Number(m[1]!.replace(/,/g, '')),
    );
    expect(trail!).toBeLessThan(eventbridge! / 1.5);
    const without = run(['--events-per-day', '1e8']).out;
    expect(without).not.toContain('of which S3 data events');
    expect(without).not.toContain('S3 data events/day');
  });

  it.each([
    [['--events-per-day', '1e9', '--s3-data-events-per-day=-1'], /s3DataEventsPerDay/],
    [['--events-per-day', '1e9', '--bogus'], /^cost: unknown option --bogus$/],
    [['--accounts', '3'], /--events-per-day is required/],
    [['--events-per-day', 'lots'], /--events-per-day must be a number/],
    [['--events-per-day', '1e9', '--coverage', 'some'], /coverage/],
    [['--events-per-day', '1e9', '--compare', 'colour'], /--compare must be/],
  ])('refuses %j with one line and the usage (exit 2)', (argv, message) => {
    const r = run(argv);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(message);
    expect(r.err).toContain('usage: npm run cost');
    expect(r.out).toBe('');
  });

  it('prints its usage on --help', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--events-per-day');
  });
});
