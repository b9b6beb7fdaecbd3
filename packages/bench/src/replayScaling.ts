import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCloudTrailS3Layout } from '@firstseen/generator';
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
}

export interface ReplayScalingResult {
  /** events/s with 2 workers divided by events/s with 1, best run of each. */
  replayScaling: { seed: number; simulate: number };
  /** The highest peak RSS of any run, worker threads included. */
  peakRssMiB: number;
  files: number;
  records: number;
  rounds: number;
  /** Load average (1 minute) before and after: the machine's other work depresses the ratio. */
  loadAverage: { before: number; after: number };
  runs: ScalingRun[];
}

/**
 * The scaling workload: the full bench's (about 1 million events); `--quick`, 2 days of 36,000,
 * enough that starting the workers (about 0.6 CPU-s each) does not decide the ratio.
 */
export function scalingWorkload(quick: boolean): WorkloadSpec {
  return quick ? { ...FULL_WORKLOAD, days: 2, eventsPerDay: 36_000 } : FULL_WORKLOAD;
}

/**
 * `replayScaling` (issue 19): the workload written as CloudTrail's S3 layout, then `npm run
 * replay -- DIR --mode seed|simulate --workers 1|2` in child processes (not pinned: the point is
 * to use both cores), in alternating order for `rounds` rounds; for each mode the ratio of the
 * best events per wall-clock second with 2 workers to the best with 1.
 */
export async function measureReplayScaling(spec: WorkloadSpec, rounds = 2): Promise<ReplayScalingResult> {
  const root = mkdtempSync(join(tmpdir(), 'firstseen-scaling-'));
  try {
    const dir = join(root, 'trail');
    mkdirSync(dir);
    const stats = writeCloudTrailS3Layout(generatedRecords(spec), { dir, seed: spec.seed });
    const before = loadavg()[0]!;
    const runs: ScalingRun[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['seed', 'simulate'] as const) {
        const order = round % 2 === 0 ? [1, 2] : [2, 1];
        for (const workers of order) {
          const r = await runChild<Omit<ScalingRun, 'mode' | 'workers'>>('replayScalingChild', {
            dir,
            mode,
            workers,
          });
          runs.push({ mode, workers, ...r });
        }
      }
    }
    const best = (mode: string, workers: number) =>
      Math.max(...runs.filter((r) => r.mode === mode && r.workers === workers).map((r) => r.eventsPerSec));
    const ratio = (mode: string) => Math.round((best(mode, 2) / best(mode, 1)) * 100) / 100;
    return {
      replayScaling: { seed: ratio('seed'), simulate: ratio('simulate') },
      peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
      files: stats.files,
      records: stats.records,
      rounds,
      loadAverage: { before, after: loadavg()[0]! },
      runs,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
