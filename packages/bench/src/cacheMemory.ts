import { runChild } from './runChild';

export interface CacheMemoryResult {
  keys: number;
  heapDeltaBytes: number;
  /** Measured heap bytes per cached key (key string, state object, LRU bookkeeping). */
  bytesPerKey: number;
  /** What the cache's own sizeCalculation charges per key against its maxBytes bound. */
  sizeCalculationPerKey: number;
}

/** Part 5: heap delta of a cache of `keys` keys, in a child process with --expose-gc. */
export function measureCacheMemory(keys: number): Promise<CacheMemoryResult> {
  return runChild<CacheMemoryResult>('cacheChild', { keys }, { nodeFlags: ['--expose-gc'] });
}
