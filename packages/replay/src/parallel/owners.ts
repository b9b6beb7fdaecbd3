/**
 * Which worker runs the engine for each principal in a parallel simulate. Every event of one
 * principal goes to one worker, so the principal is the unit of work; organizations are skewed
 * (a few service roles make most of the calls), and a hash alone gave one of two workers 61% of
 * the bench's events. So the main thread first reads a sample of the objects, and the principals
 * it saw are dealt out heaviest first, each to the least loaded worker; a principal the sample
 * missed goes by hash. The assignment only decides where the work runs: the output is the same
 * for any assignment (docs/semantics.md "Order").
 */
import { classifyRecord, type DecodeOptions } from '@firstseen/core';
import pLimit from 'p-limit';
import { BadObjectError } from '../errors';
import type { ReplayFilters } from '../objectKeys';
import { parseObject } from '../parseObject';
import { outsideFilters } from '../recordFilter';
import type { ObjectSource, ReplayObject } from '../sources';

/** Objects read for the sample: 1 in 64, at most this many. */
export const MAX_SAMPLE_OBJECTS = 512;

/** The worker of a principal the sample did not see (FNV-1a). */
export function hashOwner(principal: string, workers: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < principal.length; i++) {
    h ^= principal.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % workers;
}

/** The objects of the sample: evenly spread over the sorted listing (so over the whole time range). */
export function sampleObjects<T>(objects: readonly T[]): T[] {
  const count = Math.min(objects.length, MAX_SAMPLE_OBJECTS, Math.max(1, Math.ceil(objects.length / 64)));
  const step = objects.length / count;
  return Array.from({ length: count }, (_, k) => objects[Math.floor(k * step)]!);
}

/** Observed events per principal in the sample's objects (unreadable objects are left to the run). */
export async function samplePrincipals(
  sample: readonly ReplayObject[],
  source: ObjectSource,
  decodeOptions: DecodeOptions,
  filters: ReplayFilters,
  concurrency = 8,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const limit = pLimit(concurrency);
  const count = (object: ReplayObject, bytes: Uint8Array) => {
    for (const v of parseObject(object.key, bytes)) {
      if (!v.ok || outsideFilters(v.value, filters)) continue;
      const decoded = classifyRecord(v.value, decodeOptions);
      if (decoded.outcome === 'observed') {
        const p = decoded.event.principal;
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
    }
  };
  await Promise.all(
    sample.map((object) =>
      limit(async () => {
        try {
          count(object, source.readSync ? source.readSync(object) : await source.read(object));
        } catch (err) {
          if (!(err instanceof BadObjectError)) throw err;
        }
      }),
    ),
  );
  return counts;
}

/**
 * The sampled principals dealt out heaviest first, each to the worker with the fewest events so
 * far (ties: the lower worker; equal counts: the principal's name), as [principal, worker] pairs.
 */
export function planOwners(counts: ReadonlyMap<string, number>, workers: number): [string, number][] {
  const load = new Array<number>(workers).fill(0);
  const heaviest = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return heaviest.map(([principal, n]) => {
    let w = 0;
    for (let i = 1; i < workers; i++) if (load[i]! < load[w]!) w = i;
    load[w] = load[w]! + n;
    return [principal, w];
  });
}

/** The owner of each principal: the plan's, else by hash. */
export class PrincipalOwners {
  private readonly planned: Map<string, number>;

  constructor(
    private readonly workers: number,
    plan: readonly [string, number][],
  ) {
    this.planned = new Map(plan);
  }

  of(principal: string): number {
    return this.planned.get(principal) ?? hashOwner(principal, this.workers);
  }
}
