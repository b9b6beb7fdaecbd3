import type { BadObject } from '../summary';
import type { ShardSummary } from './seedObjects';

const SUMS = [
  'objects',
  'skipped',
  'files',
  'records',
  'events',
  'ignored',
  'invalid',
  'filtered',
  'keysWritten',
  'principalsWritten',
  'throttledWrites',
  'durationMs',
] as const;

/**
 * The running sum of shard summaries (the parent's view of a map run): each shard is added as it
 * is read and then dropped, so a run of a million shards costs the memory of one. The bad
 * objects are kept up to `errorLimit` (default: all); the rest are only counted.
 */
export class ShardSummaryTotal {
  readonly summary: ShardSummary = {
    objects: 0,
    skipped: 0,
    files: 0,
    records: 0,
    events: 0,
    ignored: 0,
    invalid: 0,
    filtered: 0,
    keysWritten: 0,
    principalsWritten: 0,
    throttledWrites: 0,
    errors: [],
    durationMs: 0,
  };
  /** Shards added. */
  shards = 0;
  /** Bad objects beyond `errorLimit`, counted but not kept. */
  errorsNotListed = 0;
  private readonly errorLimit: number;

  constructor(options: { errorLimit?: number } = {}) {
    this.errorLimit = options.errorLimit ?? Number.POSITIVE_INFINITY;
  }

  add(s: ShardSummary): void {
    const total = this.summary;
    this.shards++;
    for (const k of SUMS) total[k] += s[k];
    for (const bad of s.errors) this.addError(bad);
    // ISO strings of toISOString order as the times do.
    if (
      s.firstEventTime !== undefined &&
      (total.firstEventTime === undefined || s.firstEventTime < total.firstEventTime)
    )
      total.firstEventTime = s.firstEventTime;
    if (
      s.lastEventTime !== undefined &&
      (total.lastEventTime === undefined || s.lastEventTime > total.lastEventTime)
    )
      total.lastEventTime = s.lastEventTime;
  }

  private addError(bad: BadObject): void {
    if (this.summary.errors.length < this.errorLimit) this.summary.errors.push(bad);
    else this.errorsNotListed++;
  }
}
