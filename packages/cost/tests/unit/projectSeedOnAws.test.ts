import { PRICES, runCostCommand } from '../../src';
import { projectSeedOnAws, SEED_SHARD_MEASUREMENT } from '../../src/projectSeedOnAws';

describe('projectSeedOnAws', () => {
  it('is bound by the write share when the shards could go faster, and bills the waiting shards', () => {
    const p = projectSeedOnAws({
      eventsPerDay: 1e6,
      days: 10,
      concurrency: 10,
      writeUnitsPerSecond: 100,
      eventsPerSecond: 10_000,
      writesPerEvent: 0.01,
      eventsPerObject: 100,
      itemsPerBatch: 10,
      memoryMb: 1024,
    });
    expect(p.events).toBe(1e7);
    expect(p.objects).toBe(1e5);
    expect(p.batches).toBe(1e4);
    expect(p.writes).toBe(1e5);
    expect(p.computeBoundHours).toBeCloseTo(1e7 / 10_000 / 10 / 3600, 2);
    expect(p.writeBoundHours).toBeCloseTo(1e5 / 100 / 3600, 2);
    expect(p.limitedBy).toBe('writes');
    // 1,000 events a batch: 0.1 s of compute, 10 writes at 10 a second.
    expect(p.batchSeconds).toBeCloseTo(1.1, 1);
    const wall = 1000; // seconds: max(1e7 / 1e4 / 10, 1e5 / 100)
    expect(p.cost.lambda).toBeCloseTo(10 * wall * 1 * PRICES.lambda.usdPerGbSecondArm64 + 0.01 * 0.2, 2);
    expect(p.cost.stepFunctions).toBeCloseTo(((1e4 * 2) / 1000) * 0.025, 2);
    expect(p.cost.dynamoDb).toBeCloseTo(0.1 * 0.625, 2);
  });

  it('uses the measured shard throughput by default and flags a batch longer than Lambda allows', () => {
    const p = projectSeedOnAws({ eventsPerDay: 1e9 });
    expect(p.computeBoundHours).toBeCloseTo(9e10 / SEED_SHARD_MEASUREMENT.eventsPerSecond / 100 / 3600, 1);
    expect(projectSeedOnAws({ eventsPerDay: 1e9, itemsPerBatch: 5000 }).fitsLambdaTimeout).toBe(false);
    expect(() => projectSeedOnAws({ eventsPerDay: 0 })).toThrow(/eventsPerDay/);
  });
});

describe('npm run cost -- --seed-projection', () => {
  it('projects 10M, 100M and 1B events a day at the default concurrency', () => {
    let out = '';
    expect(
      runCostCommand(
        ['--seed-projection', '--json'],
        (s) => (out += s),
        () => {},
      ),
    ).toBe(0);
    const rows = JSON.parse(out) as { eventsPerDay: number; concurrency: number }[];
    expect(rows.map((r) => r.eventsPerDay)).toEqual([1e7, 1e8, 1e9]);
    expect(rows.every((r) => r.concurrency === 100)).toBe(true);
  });

  it('refuses the projection flags without --seed-projection, and bad values', () => {
    let err = '';
    expect(
      runCostCommand(
        ['--events-per-day', '1e6', '--concurrency', '5'],
        () => {},
        (s) => (err += s),
      ),
    ).toBe(2);
    expect(err).toContain('--concurrency and --seed-write-units are for --seed-projection');
    expect(
      runCostCommand(
        ['--seed-projection', '--concurrency', '0'],
        () => {},
        () => {},
      ),
    ).toBe(2);
  });
});
