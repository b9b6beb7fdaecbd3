import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');

const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

// Shape only: no figure is asserted against its goal (timings depend on the machine).
describe('npm run bench -- --quick --json', () => {
  let result: Record<string, unknown>;

  beforeAll(async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'bench', '--', '--quick', '--json'], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    result = JSON.parse(lines[0]!) as Record<string, unknown>;
  }, 660_000);

  it('prints one JSON object with every figure of issue 8 as a finite number', () => {
    expect(isNumber(result.hotPathRatio)).toBe(true);
    const ddb = result.ddbRequestsPer1kEvents as Record<string, unknown>;
    for (const k of ['firstseen', 'firstseenExplain', 'hourlyJob', 'perEvent', 'floor']) {
      expect(isNumber(ddb[k])).toBe(true);
    }
    // Explanations on never cost fewer requests than off (the same engine requests plus the explainer's).
    expect(ddb.firstseenExplain as number).toBeGreaterThan(ddb.firstseen as number);
    const e2e = result.e2eLatencyMs as Record<string, unknown>;
    expect(isNumber(e2e.p50) && isNumber(e2e.p99)).toBe(true);
    for (const k of ['replayEventsPerSec', 'replayPeakRssMiB', 'cacheBytesPerKey']) {
      expect(isNumber(result[k])).toBe(true);
    }
    // Issue 19: replay with 2 workers vs 1, both modes, measured in the same run.
    const scaling = result.replayScaling as Record<string, unknown>;
    expect(isNumber(scaling.seed) && isNumber(scaling.simulate)).toBe(true);
    const cost = result.monthlyCostUsdAt1BEventsPerDay as Record<string, unknown>;
    for (const k of ['firstseen', 'hourlyJob', 'perEvent', 'floor']) expect(isNumber(cost[k])).toBe(true);
    // The whole pipeline's bill next to the DynamoDB one, from the detector's measured figures.
    const whole = result.wholePipelineMonthlyUsdAt1BEventsPerDay as {
      total: number;
      byService: Record<string, number>;
    };
    expect(whole.total).toBeGreaterThan(cost.firstseen as number);
    for (const k of [
      'eventbridge',
      'kinesis',
      'lambda',
      'dynamodb',
      'kms',
      'cloudwatchLogs',
      's3',
      'secretsManager',
    ]) {
      expect(isNumber(whole.byService[k])).toBe(true);
    }
    // Nothing is logged per observed record at the default level: the per-batch lines dominate.
    const logBytes = result.logBytes as { perBatch: number; per1kEvents: number };
    expect(logBytes.perBatch).toBeGreaterThan(0);
    expect(logBytes.per1kEvents).toBeLessThan(logBytes.perBatch);
  });

  it('lists each figure with its goal and a met flag', () => {
    const goals = result.goals as { figure: string; goal: string; met: boolean | null }[];
    expect(goals.map((g) => g.figure)).toEqual(
      expect.arrayContaining([
        'hotPathRatio',
        'ddbRequestsPer1kEvents.firstseen',
        'ddbRequestsPer1kEvents.firstseenExplain',
        'e2eLatencyMs.p99',
        'replayEventsPerSec',
        'replayPeakRssMiB',
        'replayScaling.seed',
        'replayScaling.simulate',
        'cacheBytesPerKey',
      ]),
    );
    for (const g of goals) expect(g.met === null || typeof g.met === 'boolean').toBe(true);
  });

  it('reports the DynamoDB Local cross-check with equal counts', () => {
    const check = (result.details as { crossCheck: { counted: number; dynamodbLocal: number } }).crossCheck;
    expect(check.counted).toBeGreaterThan(0);
    expect(check.dynamodbLocal).toBe(check.counted);
  });
});
