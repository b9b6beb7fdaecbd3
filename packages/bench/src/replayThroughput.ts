import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCloudTrailS3Layout } from '@firstseen/generator';
import { REPLAY_NODE_FLAGS } from '@firstseen/replay';
import { runChild } from './runChild';
import { generatedRecords, type WorkloadSpec } from './workload';

export interface ReplayResult {
  /** What the replay read: `generated CloudTrail S3 layout (N gzipped files)` or the NDJSON file. */
  source: string;
  records: number;
  observed: number;
  alerts: number;
  seconds: number;
  cpuSeconds: number;
  /** Records per CPU-second of the (single-threaded, pinned) replay process. */
  eventsPerSec: number;
  /** Records per wall-clock second (lower on a loaded machine). */
  eventsPerWallSec: number;
  peakRssMiB: number;
  /** Whether the child was pinned to one CPU (taskset -c 0). */
  pinnedToOneCore: boolean;
}

/**
 * Part 4: replay's simulate mode over the workload in a child process pinned to one core, with
 * the node flags `npm run replay` has (REPLAY_NODE_FLAGS). The
 * generated workload is first written as CloudTrail's S3 layout (gzipped `{"Records":[...]}`
 * files per account, region and 5-minute delivery) in a temporary folder, which replay reads as
 * it reads a bucket; `--input` is read as NDJSON in 4 MiB chunks.
 */
export async function measureReplay(spec: WorkloadSpec): Promise<ReplayResult> {
  const { existsSync } = await import('node:fs');
  const pinned = existsSync('/usr/bin/taskset');
  if (spec.input !== undefined) {
    const r = await runChild<Omit<ReplayResult, 'source' | 'pinnedToOneCore'>>(
      'replayChild',
      { ndjson: spec.input },
      { oneCore: true, nodeFlags: REPLAY_NODE_FLAGS },
    );
    return { ...r, source: `NDJSON ${spec.input}`, pinnedToOneCore: pinned };
  }
  const dir = mkdtempSync(join(tmpdir(), 'firstseen-bench-'));
  try {
    const stats = writeCloudTrailS3Layout(generatedRecords(spec), { dir, seed: spec.seed });
    const r = await runChild<Omit<ReplayResult, 'source' | 'pinnedToOneCore'>>(
      'replayChild',
      { dir },
      { oneCore: true, nodeFlags: REPLAY_NODE_FLAGS },
    );
    return {
      ...r,
      source: `generated CloudTrail S3 layout (${stats.files} gzipped files)`,
      pinnedToOneCore: pinned,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
