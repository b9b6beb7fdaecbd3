import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCloudTrailS3Layout } from '@firstseen/generator';
import { REPLAY_NODE_FLAGS } from '@firstseen/replay';
import { readCpuTicks, stolenShare } from './cpuSteal';
import { runChild } from './runChild';
import { FULL_WORKLOAD, generatedRecords, type WorkloadSpec } from './workload';

export interface ScalingRun {
  mode: 'seed' | 'simulate';
  workers: number;
  records: number;
  seconds: number;
  cpuSeconds: number;
  /** Records per wall-clock second. */
  eventsPerSec: number;
  peakRssMiB: number;
  /**
   * The share of both cores' time the hypervisor gave to other machines during the run (Linux's
   * steal; absent elsewhere): the 2-worker run needs both cores, so it loses this share outright.
   */
  stolen?: number;
}

export interface ReplayScalingResult {
  /**
   * events/s with 2 workers divided by events/s with 1, each round's two runs paired (they ran
   * one after the other, under the same load), the median over the rounds.
   */
  replayScaling: { seed: number; simulate: number };
  /** Each round's paired ratio, and the ratio of the best run of each (the figure before). */
  ratios: { seed: number[]; simulate: number[]; bestOfEach: { seed: number; simulate: number } };
  /**
   * An estimate, not the figure: each round's ratio as if neither run had lost CPU time to the
   * hypervisor, `ratio * (1 - stolen of the 1-worker run) / (1 - stolen of the 2-worker run)`
   * (steal taken as even over the cores), the median and each round's. Absent without steal.
   */
  stealAdjusted?: { seed: number; simulate: number; rounds: { seed: number[]; simulate: number[] } };
  /**
   * What this machine allows at best, per round: two independent 1-worker simulate runs at
   * once, their events per second together over the round's 1-worker run alone (no copy, no
   * coordination: only the two cores' shared cache, memory and the host's other tenants). The
   * median, and each round's.
   */
  ceiling: { simulate: number; rounds: number[] };
  /** The highest peak RSS of any run, worker threads included. */
  peakRssMiB: number;
  files: number;
  records: number;
  rounds: number;
  /** Load average (1 minute) before and after: the machine's other work depresses the ratio. */
  loadAverage: { before: number; after: number };
  /** The share of the CPUs' time stolen by the hypervisor over all the runs (see ScalingRun.stolen). */
  stolen?: number;
  runs: ScalingRun[];
}

/**
 * The scaling workload: the full bench's (about 1 million events); `--quick`, 2 days of 36,000,
 * enough that starting the workers (about 0.6 CPU-s each) does not decide the ratio.
 */
/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m * 100) / 100;
}

/** Rounds of the scaling runs: 3 (a median that one disturbed round does not move); `--quick`: 1. */
export function scalingRounds(quick: boolean): number {
  return quick ? 1 : 3;
}

export function scalingWorkload(quick: boolean): WorkloadSpec {
  return quick ? { ...FULL_WORKLOAD, days: 2, eventsPerDay: 36_000 } : FULL_WORKLOAD;
}

/**
 * Each round's 2-worker / 1-worker ratio as if neither run had lost time to the hypervisor:
 * `ratio * (1 - stolen of the 1-worker run) / (1 - stolen of the 2-worker run)`; undefined when
 * a run has no steal figure.
 */
export function stealAdjusted(runs: readonly ScalingRun[], mode: ScalingRun['mode']): number[] | undefined {
  const pairs = roundPairs(runs, mode);
  if (pairs.some(([one, two]) => one.stolen === undefined || two.stolen === undefined)) return undefined;
  return pairs.map(([one, two]) => round2((pairedRatio(one, two) * (1 - one.stolen!)) / (1 - two.stolen!)));
}

/** Each round's 1-worker and 2-worker runs of a mode, in round order. */
function roundPairs(runs: readonly ScalingRun[], mode: ScalingRun['mode']): [ScalingRun, ScalingRun][] {
  const of = (workers: number) => runs.filter((r) => r.mode === mode && r.workers === workers);
  const ones = of(1);
  return of(2).map((two, k) => [ones[k]!, two]);
}

/** Events per second with 2 workers over those with 1. */
const pairedRatio = (one: ScalingRun, two: ScalingRun): number => two.eventsPerSec / one.eventsPerSec;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * `replayScaling` (issue 19): the workload written as CloudTrail's S3 layout, then `npm run
 * replay -- DIR --mode seed|simulate --workers 1|2` in child processes (not pinned: the point is
 * to use both cores; with the node flags `npm run replay` has, REPLAY_NODE_FLAGS), in
 * alternating order for `rounds` rounds; for each mode, each round's ratio of events per
 * wall-clock second with 2 workers to that with 1 (the two runs back to back), and the median
 * over the rounds. On a shared machine the others' load drifts within minutes: pairing keeps a
 * fast 1-worker run and a slow 2-worker run minutes apart from making the ratio (the ratio of
 * the best of each, the figure before, is in `ratios`).
 */
export async function measureReplayScaling(spec: WorkloadSpec, rounds = 3): Promise<ReplayScalingResult> {
  const root = mkdtempSync(join(tmpdir(), 'firstseen-scaling-'));
  try {
    const dir = join(root, 'trail');
    mkdirSync(dir);
    const stats = writeCloudTrailS3Layout(generatedRecords(spec), { dir, seed: spec.seed });
    const before = loadavg()[0]!;
    const ticksBefore = readCpuTicks();
    const runs: ScalingRun[] = [];
    const ceilings: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['seed', 'simulate'] as const) {
        const order = round % 2 === 0 ? [1, 2] : [2, 1];
        for (const workers of order) {
          const ticks = readCpuTicks();
          const r = await runChild<Omit<ScalingRun, 'mode' | 'workers'>>(
            'replayScalingChild',
            { dir, mode, workers },
            { nodeFlags: REPLAY_NODE_FLAGS },
          );
          const stolen = stolenShare(ticks, readCpuTicks());
          runs.push({ mode, workers, ...r, ...(stolen !== undefined && { stolen }) });
        }
      }
      const pair = await Promise.all(
        ['a', 'b'].map((tag) =>
          runChild<Omit<ScalingRun, 'mode' | 'workers'>>(
            'replayScalingChild',
            { dir, mode: 'simulate', workers: 1, tag },
            { nodeFlags: REPLAY_NODE_FLAGS },
          ),
        ),
      );
      const alone = runs.filter((r) => r.mode === 'simulate' && r.workers === 1).at(-1)!;
      ceilings.push(round2((2 * alone.seconds) / Math.max(...pair.map((p) => p.seconds))));
    }
    const stolen = stolenShare(ticksBefore, readCpuTicks());
    const best = (mode: string, workers: number) =>
      Math.max(...runs.filter((r) => r.mode === mode && r.workers === workers).map((r) => r.eventsPerSec));
    const paired = (mode: ScalingRun['mode']) =>
      roundPairs(runs, mode).map(([one, two]) => round2(pairedRatio(one, two)));
    const ratios = {
      seed: paired('seed'),
      simulate: paired('simulate'),
      bestOfEach: {
        seed: round2(best('seed', 2) / best('seed', 1)),
        simulate: round2(best('simulate', 2) / best('simulate', 1)),
      },
    };
    const adjustedSeed = stealAdjusted(runs, 'seed');
    const adjustedSimulate = stealAdjusted(runs, 'simulate');
    return {
      replayScaling: { seed: median(ratios.seed), simulate: median(ratios.simulate) },
      ratios,
      ...(adjustedSeed !== undefined &&
        adjustedSimulate !== undefined && {
          stealAdjusted: {
            seed: median(adjustedSeed),
            simulate: median(adjustedSimulate),
            rounds: { seed: adjustedSeed, simulate: adjustedSimulate },
          },
        }),
      ceiling: { simulate: median(ceilings), rounds: ceilings },
      peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
      files: stats.files,
      records: stats.records,
      rounds,
      loadAverage: { before, after: loadavg()[0]! },
      ...(stolen !== undefined && { stolen }),
      runs,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
