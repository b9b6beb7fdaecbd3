import {
  type BaselineStore,
  type Config,
  DAY_MS,
  DetectionEngine,
  decodeOptionsFromConfig,
  decodeRecord,
  InMemoryBaselineStore,
  levelOfPk,
} from '@firstseen/core';
import pLimit from 'p-limit';

export interface SeedResult {
  /** The baseline learned from the history (continue detecting on it for a reference run). */
  memory: InMemoryBaselineStore;
  engine: DetectionEngine;
  observed: number;
  keys: number;
  principals: number;
}

/**
 * Seeds a baseline store from history with the core code the replay's seed mode uses: the
 * detection engine with source `seed` (which never alerts) over the records in order, into an
 * in-memory store, then every key and first sighting written to `target` (seedKey,
 * recordSighting).
 */
export async function seedBaseline(
  records: Iterable<Record<string, unknown>>,
  config: Config,
  target: BaselineStore,
  concurrency = 32,
): Promise<SeedResult> {
  const memory = new InMemoryBaselineStore();
  const engine = new DetectionEngine({ store: memory, config });
  const options = decodeOptionsFromConfig(config);
  let observed = 0;
  let read = 0;
  for (const record of records) {
    // The in-memory engine never waits for I/O: let signals (Ctrl-C) and timers through.
    if (++read % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
    for (const d of decodeRecord(JSON.stringify(record), options)) {
      if (d.outcome !== 'observed') continue;
      observed++;
      await engine.detect(d.event, 'seed');
    }
  }
  const limit = pLimit(concurrency);
  const retentionMs = config.retentionDays * DAY_MS;
  const writes: Promise<unknown>[] = [];
  let keys = 0;
  for (const [pk, state] of memory.entries()) {
    const level = levelOfPk(pk);
    if (level === undefined) continue;
    keys++;
    writes.push(limit(() => target.seedKey({ level, pk }, state, retentionMs)));
  }
  let principals = 0;
  for (const [principal, time] of memory.sightingEntries()) {
    principals++;
    writes.push(limit(() => target.recordSighting(principal, time)));
  }
  await Promise.all(writes);
  return { memory, engine, observed, keys, principals };
}
