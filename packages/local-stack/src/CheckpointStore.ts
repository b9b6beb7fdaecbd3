import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where a poller keeps, per shard, the sequence number of the last record it has finished with
 * (Lambda's event source mapping checkpoint). A restarted poller resumes after it.
 */
export interface CheckpointStore {
  get(shardId: string): Promise<string | undefined>;
  set(shardId: string, sequenceNumber: string): Promise<void>;
}

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, string>();

  async get(shardId: string): Promise<string | undefined> {
    return this.checkpoints.get(shardId);
  }

  async set(shardId: string, sequenceNumber: string): Promise<void> {
    this.checkpoints.set(shardId, sequenceNumber);
  }

  /** Every shard's checkpoint (tests, the demo's "caught up" check). */
  entries(): [string, string][] {
    return [...this.checkpoints];
  }
}

/**
 * Checkpoints in a JSON file, rewritten atomically (write then rename) on every set, so a
 * process killed at any moment leaves either the old or the new checkpoint, never half of one.
 */
export class FileCheckpointStore implements CheckpointStore {
  private loading: Promise<Map<string, string>> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  async get(shardId: string): Promise<string | undefined> {
    return (await this.load()).get(shardId);
  }

  async set(shardId: string, sequenceNumber: string): Promise<void> {
    const map = await this.load();
    map.set(shardId, sequenceNumber);
    const body = `${JSON.stringify(Object.fromEntries(map), null, 2)}\n`;
    // Serialise writers: two renames racing could otherwise leave the older content last.
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, this.path);
    });
    await this.writing;
  }

  private load(): Promise<Map<string, string>> {
    // One read shared by every caller: concurrent first calls (one per shard) that each read
    // the file would each build their own map, and the last to finish would drop the others' sets.
    this.loading ??= this.read().catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  private async read(): Promise<Map<string, string>> {
    let parsed: Record<string, string> = {};
    try {
      parsed = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new Map(Object.entries(parsed));
  }
}

/** Orders two stream sequence numbers (decimal strings of any length). */
export function compareSequence(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
