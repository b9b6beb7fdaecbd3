import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { ObjectSource, ReplayObject } from '@firstseen/replay';

/**
 * One NDJSON file as a replay source of many objects of about `chunkBytes` each, cut at line
 * ends, in file order: the replay then holds a few chunks at a time, as it does with CloudTrail's
 * S3 objects, instead of the whole file.
 */
export class NdjsonChunkSource implements ObjectSource {
  readonly description: string;
  private readonly ranges: { start: number; end: number }[] = [];

  constructor(
    private readonly file: string,
    chunkBytes = 4 * 1024 * 1024,
  ) {
    this.description = file;
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    try {
      const probe = Buffer.alloc(64 * 1024);
      let start = 0;
      while (start < size) {
        let end = Math.min(size, start + chunkBytes);
        // Move the cut to just after the next newline.
        while (end < size) {
          const n = readSync(fd, probe, 0, probe.length, end);
          const nl = probe.subarray(0, n).indexOf(0x0a);
          if (nl >= 0) {
            end += nl + 1;
            break;
          }
          end += n;
          if (n === 0) break;
        }
        this.ranges.push({ start, end: Math.min(end, size) });
        start = Math.min(end, size);
      }
    } finally {
      closeSync(fd);
    }
  }

  async list(): Promise<ReplayObject[]> {
    return this.ranges.map((_, i) => ({ key: `chunk-${String(i).padStart(8, '0')}.ndjson`, delivery: '' }));
  }

  async read(object: ReplayObject): Promise<Uint8Array> {
    const range = this.ranges[Number(object.key.slice(6, 14))]!;
    const buffer = Buffer.alloc(range.end - range.start);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, range.start);
    } finally {
      closeSync(fd);
    }
    return buffer;
  }
}
