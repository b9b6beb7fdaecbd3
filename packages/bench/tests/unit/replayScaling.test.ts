import { median, type ScalingRun, scalingRounds, stealAdjusted } from '../../src/replayScaling';

describe('replay scaling figure', () => {
  it('is the median of the rounds, so one disturbed round does not move it', () => {
    expect(median([1.62, 0.91, 1.55])).toBe(1.55);
    expect(median([1.2, 1.4])).toBe(1.3);
    expect(median([1.5])).toBe(1.5);
  });

  it('takes 3 rounds, 1 with --quick', () => {
    expect(scalingRounds(false)).toBe(3);
    expect(scalingRounds(true)).toBe(1);
  });
});

describe('steal-adjusted ratios', () => {
  /** The simulate runs of the bench of 7 December 2026 03:45 UTC (events/s, share stolen). */
  const run = (workers: number, eventsPerSec: number, stolen?: number): ScalingRun => ({
    mode: 'simulate',
    workers,
    records: 1_008_139,
    seconds: 1_008_139 / eventsPerSec,
    cpuSeconds: 0,
    eventsPerSec,
    peakRssMiB: 0,
    ...(stolen !== undefined && { stolen }),
  });

  it('takes out what the hypervisor took from each run of a round', () => {
    const runs = [
      run(1, 30_436.98, 0.17),
      run(2, 43_179.19, 0.21),
      run(2, 59_985.48, 0.02),
      run(1, 39_409.18, 0.02),
      run(1, 34_798.8, 0.08),
      run(2, 44_452.28, 0.21),
    ];
    // Raw: 1.42, 1.52, 1.28. The 2-worker runs lost 21% of both cores in rounds 1 and 3.
    expect(stealAdjusted(runs, 'simulate')).toEqual([1.49, 1.52, 1.49]);
    expect(stealAdjusted(runs, 'seed')).toEqual([]);
  });

  it('has no estimate when a run has no steal figure', () => {
    expect(stealAdjusted([run(1, 100, 0.1), run(2, 150)], 'simulate')).toBeUndefined();
  });
});
