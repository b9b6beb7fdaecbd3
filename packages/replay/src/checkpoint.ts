import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { CheckpointError } from './errors';
import type { ReplaySummary } from './summary';

/** What makes two runs the same run: a checkpoint is only resumed by the run it belongs to. */
export interface CheckpointIdentity {
  mode: string;
  source: string;
  filters: unknown;
}

/** `--checkpoint FILE`: the finished objects, the summary so far and the mode's state. */
export interface Checkpoint {
  version: 1;
  identity: CheckpointIdentity;
  /** Keys of the objects fully processed (and, for bad objects, reported). */
  finished: string[];
  /** True once the mode's finish step (seed's writes, stream's last put) completed. */
  complete: boolean;
  summary: ReplaySummary;
  state: unknown;
}

/** Reads a checkpoint; undefined when the file does not exist. */
export function loadCheckpoint(path: string, identity: CheckpointIdentity): Checkpoint | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw new CheckpointError(`checkpoint ${path} cannot be read`, { cause: err });
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = JSON.parse(text) as Checkpoint;
  } catch (err) {
    throw new CheckpointError(`checkpoint ${path} is not valid JSON`, { cause: err });
  }
  if (checkpoint.version !== 1 || JSON.stringify(checkpoint.identity) !== JSON.stringify(identity)) {
    throw new CheckpointError(
      `checkpoint ${path} belongs to another run (${JSON.stringify(checkpoint.identity)}); remove it or pass another file`,
    );
  }
  return checkpoint;
}

/** Writes a checkpoint atomically (a crash mid-write leaves the previous one). */
export function saveCheckpoint(path: string, checkpoint: Checkpoint): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(checkpoint));
  renameSync(tmp, path);
}
