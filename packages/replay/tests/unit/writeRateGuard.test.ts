import { WriteRateGuard } from '../../src/writeRateGuard';

const throttled = () =>
  Object.assign(new Error('Throughput exceeds the current capacity'), {
    name: 'ProvisionedThroughputExceededException',
    $metadata: { httpStatusCode: 400 },
  });

describe('WriteRateGuard', () => {
  it('starts no more writes per second than configured', async () => {
    const guard = new WriteRateGuard({ writesPerSecond: 50 });
    const started: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 100 }, () => guard.run(async () => started.push(Date.now() - t0))),
    );
    // A burst of one second's worth, then 50 a second: the 100th write starts after ~1 s.
    expect(started).toHaveLength(100);
    expect(Math.max(...started)).toBeGreaterThanOrEqual(900);
  });

  it('retries a throttled write after a backoff and halves its rate', async () => {
    const sleeps: number[] = [];
    const guard = new WriteRateGuard({
      writesPerSecond: 100,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
    });
    let calls = 0;
    const result = await guard.run(async () => {
      calls++;
      if (calls <= 2) throw throttled();
      return 'written';
    });
    expect(result).toBe('written');
    expect(calls).toBe(3);
    expect(guard.throttled).toBe(2);
    expect(sleeps).toEqual([100, 200]);
    expect(guard.currentRate).toBe(26); // 100 -> 50 -> 25, +1 for the write that succeeded
  });

  it('gives up after maxAttempts, and never retries a non-transient error', async () => {
    const guard = new WriteRateGuard({ writesPerSecond: 100, maxAttempts: 3, sleep: async () => {} });
    let calls = 0;
    await expect(
      guard.run(async () => {
        calls++;
        throw throttled();
      }),
    ).rejects.toThrow(/capacity/);
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      guard.run(async () => {
        calls++;
        throw Object.assign(new Error('bad'), { name: 'ValidationException' });
      }),
    ).rejects.toThrow('bad');
    expect(calls).toBe(1);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new WriteRateGuard({ writesPerSecond: 0 })).toThrow(/positive/);
  });
});

describe('WriteRateGuard write units', () => {
  it('waits for the units of a large request and for units charged after a request', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const guard = new WriteRateGuard({
      writesPerSecond: 10,
      clock: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    await guard.run(async () => 'a', 4); // 10 -> 6 tokens
    guard.charge(6); // a failed condition found a 6 KB item: 0 tokens
    await guard.run(async () => 'b', 2); // waits 200 ms for 2 units
    expect(guard.charged).toBe(12);
    expect(sleeps).toEqual([200]);
  });
});
