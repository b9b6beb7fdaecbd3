import { DEFAULT_MAP_CONCURRENCY } from '@firstseen/replay';
import { InfraConfigError } from './errors';

/** The seed's default share of the baseline table's write capacity (write units a second). */
export const DEFAULT_SEED_WRITE_UNITS_PER_SECOND = 1000;

export interface SeedWriteShare {
  /** Batches (replay-shard invocations) at once: the map's MaxConcurrency and the function's reserved concurrency. */
  concurrency: number;
  /** The seed's share for all batches together. */
  writeUnitsPerSecond: number;
  /** Each invocation's share: floor(total / concurrency), so that the invocations never sum above the total. */
  perShard: number;
}

/**
 * Splits the seed's write share between the shards that run at once. Each shard needs at least
 * one write unit a second, so a concurrency above the share is refused (one line naming both
 * numbers and the two ways out) rather than rounded up to an overshoot.
 */
export function seedWriteShare(settings: {
  concurrency?: number | undefined;
  maxWriteUnitsPerSecond?: number | undefined;
}): SeedWriteShare {
  const concurrency = settings.concurrency ?? DEFAULT_MAP_CONCURRENCY;
  const writeUnitsPerSecond = settings.maxWriteUnitsPerSecond ?? DEFAULT_SEED_WRITE_UNITS_PER_SECOND;
  const perShard = Math.floor(writeUnitsPerSecond / concurrency);
  if (perShard < 1) {
    throw new InfraConfigError(
      `firstseen:replayOnAws: concurrency ${concurrency} exceeds maxWriteUnitsPerSecond ${writeUnitsPerSecond} (each shard needs at least 1 write unit a second): lower concurrency to at most ${writeUnitsPerSecond} or raise maxWriteUnitsPerSecond to at least ${concurrency}`,
    );
  }
  return { concurrency, writeUnitsPerSecond, perShard };
}
