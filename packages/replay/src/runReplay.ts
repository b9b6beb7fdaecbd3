import { type Config, type DecodeOptions, decodeOptionsFromConfig } from '@firstseen/core';
import { type Checkpoint, type CheckpointIdentity, loadCheckpoint, saveCheckpoint } from './checkpoint';
import { BadObjectError } from './errors';
import { compareObjectKeys, keyMayMatch, parseObjectKey, type ReplayFilters } from './objectKeys';
import { type FileValue, parseObject } from './parseObject';
import { RecordCounter } from './RecordCounter';
import type { ReplaySink, SinkContext } from './ReplaySink';
import type { ObjectSource, ReplayObject } from './sources';
import { emptySummary, type ReplaySummary } from './summary';

/** The part of a pino logger the replay uses. */
export interface ReplayLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Progress display (a bar on a terminal, periodic lines otherwise). */
export interface ReplayProgress {
  start(totalObjects: number, doneObjects: number): void;
  update(doneObjects: number, records: number): void;
  stop(): void;
}

export interface ReplayOptions {
  config: Config;
  filters?: ReplayFilters;
  /** Objects downloaded and parsed ahead, in parallel (default 8). Records are processed in order. */
  concurrency?: number;
  /** `--checkpoint FILE`. */
  checkpointPath?: string;
  /** Objects between checkpoints (default 100) ... */
  checkpointEvery?: number;
  /** ... or this much time, whichever comes first (default 30 s). */
  checkpointIntervalMs?: number;
}

export interface ReplayDeps {
  source: ObjectSource;
  sink: ReplaySink;
  logger?: ReplayLogger;
  progress?: ReplayProgress;
  /** Called after each object is finished (tests inject a crash here). */
  afterObject?: (finished: number, key: string) => void | Promise<void>;
  clock?: () => number;
}

/** Objects between returns to the event loop when a source reads synchronously. */
const YIELD_EVERY = 64;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

type Loaded = { object: ReplayObject; values: FileValue[] } | { object: ReplayObject; error: BadObjectError };

/**
 * Replays a source through a mode (docs/semantics.md "Order"): objects sorted by the delivery timestamp in
 * their names, then by key, across every account and region prefix; records in file order.
 * Objects are fetched and parsed `concurrency` ahead, but their records reach the mode one
 * object at a time, in order. Filters apply to keys before download and to each record after.
 *
 * Bad records are counted (invalid, with reasons); a bad object is logged with its key, counted
 * in `badFiles` and skipped; the caller decides the exit status. Throws SourceAccessError when
 * the source cannot be listed at all.
 */
export async function runReplay(options: ReplayOptions, deps: ReplayDeps): Promise<ReplaySummary> {
  const { source, sink } = deps;
  const filters = options.filters ?? {};
  const clock = deps.clock ?? Date.now;
  const decodeOptions: DecodeOptions = decodeOptionsFromConfig(options.config);
  const identity: CheckpointIdentity = { mode: sink.mode, source: source.description, filters };
  const checkpoint = options.checkpointPath ? loadCheckpoint(options.checkpointPath, identity) : undefined;
  const summary = checkpoint?.summary ?? emptySummary(sink.mode, source.description);
  const finished = new Set(checkpoint?.finished ?? []);
  const finishedOrder = [...finished];
  const counter = new RecordCounter(summary, filters, decodeOptions);
  const times = counter.times;

  const ctx: SinkContext = {
    summary,
    save: async () => {
      if (options.checkpointPath === undefined) return;
      await sink.flush(ctx);
      times.write();
      const cp: Checkpoint = {
        version: 1,
        identity,
        finished: finishedOrder,
        complete: false,
        summary,
        state: sink.snapshot(),
      };
      saveCheckpoint(options.checkpointPath, cp);
    },
  };

  try {
    await sink.start(checkpoint?.state, ctx);
    if (checkpoint?.complete) return summary;

    const listed = await source.list();
    const todo = listed
      .filter((o) => !finished.has(o.key) && keyMayMatch(parseObjectKey(o.key), filters))
      .sort(compareObjectKeys);
    deps.logger?.info({ objects: todo.length, resumedAfter: finished.size }, 'replay started');
    deps.progress?.start(todo.length + finished.size, finished.size);

    const concurrency = Math.max(1, options.concurrency ?? 8);
    const load = async (object: ReplayObject): Promise<Loaded> => {
      try {
        return { object, values: parseObject(object.key, await source.read(object)) };
      } catch (err) {
        if (err instanceof BadObjectError) return { object, error: err };
        throw err;
      }
    };
    // A source that reads synchronously (local files) is read in order, without prefetching.
    const readSync = source.readSync?.bind(source);
    const loadSync = (object: ReplayObject): Loaded => {
      try {
        return { object, values: parseObject(object.key, readSync!(object)) };
      } catch (err) {
        if (err instanceof BadObjectError) return { object, error: err };
        throw err;
      }
    };
    const pending = new Map<number, Promise<Loaded>>();
    const prefetch = (i: number) => {
      const object = todo[i];
      if (object === undefined || readSync !== undefined) return;
      const p = load(object);
      p.catch(() => {}); // awaited in order below; this only stops an early unhandled rejection
      pending.set(i, p);
    };
    for (let i = 0; i < concurrency; i++) prefetch(i);

    const every = options.checkpointEvery ?? 100;
    const intervalMs = options.checkpointIntervalMs ?? 30_000;
    let sinceSave = 0;
    let lastSave = clock();
    for (let i = 0; i < todo.length; i++) {
      let loaded: Loaded;
      if (readSync !== undefined) loaded = loadSync(todo[i]!);
      else {
        loaded = await pending.get(i)!;
        pending.delete(i);
        prefetch(i + concurrency);
      }
      if ('error' in loaded) {
        const e = loaded.error;
        summary.badFiles.push({ key: e.key, reason: e.reason, detail: e.message });
        deps.logger?.warn({ key: e.key, reason: e.reason, err: e.message }, 'skipped a bad object');
      } else {
        summary.files++;
        for (const v of loaded.values) {
          const event = counter.observed(v);
          if (event !== undefined) await sink.event(event, (v as { value: unknown }).value, ctx);
        }
      }
      finished.add(loaded.object.key);
      finishedOrder.push(loaded.object.key);
      sinceSave++;
      deps.progress?.update(finished.size, summary.records);
      if (options.checkpointPath !== undefined && (sinceSave >= every || clock() - lastSave >= intervalMs)) {
        await ctx.save();
        sinceSave = 0;
        lastSave = clock();
      }
      await deps.afterObject?.(finished.size, loaded.object.key);
      // Read synchronously into an in-memory mode, the loop would never return to the event
      // loop: let timers (the progress bar's redraw) and I/O run every few objects.
      if (readSync !== undefined && i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    }
    await sink.flush(ctx);
    await ctx.save();
    await sink.finish(ctx);
    times.write();
    if (options.checkpointPath !== undefined) {
      saveCheckpoint(options.checkpointPath, {
        version: 1,
        identity,
        finished: finishedOrder,
        complete: true,
        summary,
        state: sink.snapshot(),
      });
    }
    return summary;
  } finally {
    times.write();
    deps.progress?.stop();
    await sink.close();
  }
}
