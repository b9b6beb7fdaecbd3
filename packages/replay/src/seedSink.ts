import {
  type BaselineStore,
  type Config,
  DAY_MS,
  DetectionEngine,
  type ObservedEvent,
  SeedBaselineStore,
} from '@firstseen/core';
import pLimit from 'p-limit';
import type { ReplaySink, SinkContext } from './ReplaySink';
import { type BaselineSnapshot, levelKeyOf, restoreSeedBaseline, snapshotBaseline } from './restoreBaseline';
import { countDetection } from './summary';

export interface SeedOptions {
  config: Config;
  /** The live baseline (DynamoBaselineStore). */
  target: BaselineStore;
  /** Writes in flight at once (default 16). */
  concurrency?: number;
  /** Keys written between checkpoints during the write phase (default 2,000). */
  chunkSize?: number;
  /**
   * The in-memory baseline the seed computes (default: a new, empty one). A parallel seed passes
   * the merge of its workers' baselines, or a worker's own store.
   */
  store?: SeedBaselineStore;
}

interface SeedState {
  baseline: BaselineSnapshot;
  keysWritten: number;
  principalsWritten: number;
}

/**
 * `seed`: computes the baseline of the whole history in memory (engine source `seed`, which
 * never alerts), then writes each key ONCE with `seedKey` (which merges with the stored key,
 * docs/semantics.md "Sharded seed", and never moves a live key's lastSeen backwards) and each principal's first sighting with `recordSighting`. Months of
 * history thus cost about one write per distinct key plus one per principal.
 */
export function seedSink(options: SeedOptions): ReplaySink {
  const retentionMs = options.config.retentionDays * DAY_MS;
  const chunkSize = options.chunkSize ?? 2000;
  let store = options.store ?? new SeedBaselineStore();
  let engine = new DetectionEngine({ store, config: options.config, cache: false });
  let keysWritten = 0;
  let principalsWritten = 0;
  return {
    mode: 'seed',
    async start(state, ctx) {
      const s = state as SeedState | undefined;
      if (s !== undefined) {
        store = new SeedBaselineStore();
        await restoreSeedBaseline(store, s.baseline, retentionMs);
        engine = new DetectionEngine({ store, config: options.config, cache: false });
        keysWritten = s.keysWritten;
        principalsWritten = s.principalsWritten;
      }
      ctx.summary.seed = { keysWritten, principalsWritten };
    },
    async event(event: ObservedEvent, _value, ctx) {
      countDetection(ctx.summary, event.principal, event.time, await engine.detect(event, 'seed'));
    },
    async flush() {},
    snapshot(): SeedState {
      return { baseline: snapshotBaseline(store), keysWritten, principalsWritten };
    },
    async finish(ctx: SinkContext) {
      // A write rate guard, where there is one, paces the target's requests (its writePacer).
      const limit = pLimit(options.concurrency ?? 16);
      const write = <T>(fn: () => Promise<T>) => limit(fn);
      const report = () => {
        ctx.summary.seed = { keysWritten, principalsWritten };
      };
      // Entries come back in insertion order, identical after a restore, so a count resumes.
      const keys = [...store.entries()].slice(keysWritten);
      for (let i = 0; i < keys.length; i += chunkSize) {
        const chunk = keys.slice(i, i + chunkSize);
        await Promise.all(
          chunk.map(([pk, state]) => write(() => options.target.seedKey(levelKeyOf(pk), state, retentionMs))),
        );
        keysWritten += chunk.length;
        report();
        await ctx.save();
      }
      const sightings = [...store.sightingEntries()].slice(principalsWritten);
      for (let i = 0; i < sightings.length; i += chunkSize) {
        const chunk = sightings.slice(i, i + chunkSize);
        await Promise.all(chunk.map(([p, t]) => write(() => options.target.recordSighting(p, t))));
        principalsWritten += chunk.length;
        report();
        await ctx.save();
      }
      report();
    },
    async close() {},
  };
}
