import { join } from 'node:path';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import {
  type BaselineStore,
  type Config,
  DAY_MS,
  decodeOptionsFromConfig,
  SeedBaselineStore,
} from '@firstseen/core';
import { contextWithFacts, InMemoryExplainStore } from '@firstseen/explain';
import type { AlertFileWriter } from '../AlertFileWriter';
import type { ClientOptions } from '../clients';
import { createReplayS3Client } from '../clients';
import { ReplayWorkerError, ShardedSeedSpanError } from '../errors';
import { compareObjectKeys, keyMayMatch, parseObjectKey, type ReplayFilters } from '../objectKeys';
import type { SinkContext } from '../ReplaySink';
import { restoreSeedBaseline } from '../restoreBaseline';
import type { ReplayLogger, ReplayProgress } from '../runReplay';
import { seedSink } from '../seedSink';
import { createObjectSource, type SourceSpec } from '../sources';
import type { ReplaySummary } from '../summary';
import { chunkClaimsBuffer } from './chunks';
import { mergeSummaries } from './mergeSummaries';
import { planOwners, sampleObjects, samplePrincipals } from './owners';
import {
  comparePositions,
  type OutItem,
  type PackedObjects,
  type ParallelMode,
  type PostedPart,
  packObjects,
  type WorkerInit,
  type WorkerMessage,
  type WorkerPart,
  type WorkerStart,
} from './protocol';
import { runReplayPart } from './replayPart';

export interface ParallelReplayOptions {
  mode: ParallelMode;
  /** The config the workers load (`--config` and the day overrides), already validated by the caller. */
  config: Config;
  configPath?: string;
  overrides?: WorkerInit['overrides'];
  source: SourceSpec;
  s3?: ClientOptions;
  filters?: ReplayFilters;
  /** Worker threads (at least 2; one worker is runReplay in this thread). */
  workers: number;
  /** Objects read ahead per worker from S3; seed: writes in flight (default 8). */
  concurrency?: number;
  suppressions?: string;
  /** simulate: eventIDs of injected attacks (`--injected`), counted apart in the report's tally. */
  injected?: string[];
  /** simulate `--out`. */
  out?: AlertFileWriter;
  /** seed: the live baseline the merged seed is written to. */
  seedTarget?: BaselineStore;
}

export interface ParallelReplayDeps {
  logger?: ReplayLogger;
  progress?: ReplayProgress;
  /** Sees each worker once started (tests stop one to check that the run fails). */
  onWorker?: (worker: Worker, index: number) => void;
}

/**
 * Merges the workers' simulate output into replay order as their progress allows: an item at
 * (object i, record r) is final once every worker has processed object i, since each worker
 * sends its items in order. The explanations' organization-wide facts (an action's prevalence,
 * a bucket's principals, a principal's latest permission change) are replayed here in the same order, so each alert's
 * context is what one thread would have computed (docs/semantics.md "Order").
 */
class OutMerger {
  private readonly queues: OutItem[][];
  private readonly heads: number[];
  private readonly done: number[];
  private readonly facts = new InMemoryExplainStore();

  constructor(
    workers: number,
    private readonly out: AlertFileWriter | undefined,
  ) {
    this.queues = Array.from({ length: workers }, () => []);
    this.heads = new Array<number>(workers).fill(0);
    this.done = new Array<number>(workers).fill(0);
  }

  async add(worker: number, done: number, items: OutItem[]): Promise<void> {
    for (const item of items) this.queues[worker]!.push(item);
    this.done[worker] = done;
    const safe = Math.min(...this.done);
    for (;;) {
      let best = -1;
      for (let w = 0; w < this.queues.length; w++) {
        const item = this.queues[w]![this.heads[w]!];
        if (item === undefined || item.p[0] >= safe) continue;
        if (best < 0 || comparePositions(item.p, this.queues[best]![this.heads[best]!]!.p) < 0) best = w;
      }
      if (best < 0) break;
      const item = this.queues[best]![this.heads[best]!++]!;
      await this.apply(item);
    }
    for (let w = 0; w < this.queues.length; w++) {
      if (this.heads[w]! > 1024) {
        this.queues[w]!.splice(0, this.heads[w]!);
        this.heads[w] = 0;
      }
    }
  }

  private async apply(item: OutItem): Promise<void> {
    if (item.k === 'count') this.facts.countAction(item.action);
    else if (item.k === 'iam') await this.facts.recordIamChange(item.change);
    else if (item.k === 'bucket') await this.facts.countBucketPrincipal(item.bucket, item.principal);
    else {
      const { alert } = item;
      if (item.evidence !== undefined && item.time !== undefined) {
        // The bucket of a resource-level alert, as the Explainer named it (`s3:<bucket>`).
        const bucket = item.evidence.bucket?.name.slice('s3:'.length);
        const facts = await this.facts.readAlertFacts(alert.principal, alert.action, bucket);
        alert.context = contextWithFacts(item.evidence, { eventId: alert.eventId, time: item.time }, facts);
      }
      this.out?.write(alert);
    }
  }
}

/**
 * The workers' baselines merged as docs/semantics.md "Sharded seed" defines (each key with
 * seedKey, i.e. mergeSeedState; each principal's first sighting the earliest): what one seed
 * of all the objects computes. The summary's claims per principal become those of one seed: a
 * key seen by k workers was claimed by each, once by one thread (a key that expires and is
 * claimed again inside the replayed range is the exception: counted once per worker there).
 */
async function mergeSeedParts(
  parts: WorkerPart[],
  config: Config,
  summary: ReplaySummary,
): Promise<SeedBaselineStore> {
  const merged = new SeedBaselineStore();
  const retentionMs = config.retentionDays * DAY_MS;
  const holders = new Map<string, number>();
  const principalOf = new Map<string, string>();
  for (const part of parts) {
    const state = part.state!;
    await restoreSeedBaseline(merged, state.baseline, retentionMs);
    state.baseline.keys.forEach(([pk], k) => {
      holders.set(pk, (holders.get(pk) ?? 0) + 1);
      principalOf.set(pk, state.principals[k]!);
    });
  }
  for (const [pk, count] of holders) {
    if (count < 2) continue;
    const principal = principalOf.get(pk)!;
    const n = summary.newKeysByPrincipal[principal];
    if (n !== undefined) summary.newKeysByPrincipal[principal] = n - (count - 1);
  }
  return merged;
}

/**
 * docs/semantics.md "Sharded seed": merged shards equal a sequential seed only while the history
 * spans at most retentionDays (a sequential seed lets a key expire and claims it again; the
 * merge keeps the older first sighting). Checked on the events read, before anything is written.
 */
function checkSeedSpan(summary: ReplaySummary, config: Config, workers: number): void {
  if (summary.firstEventTime === undefined || summary.lastEventTime === undefined) return;
  const span = Date.parse(summary.lastEventTime) - Date.parse(summary.firstEventTime);
  if (span <= config.retentionDays * DAY_MS) return;
  const days = Math.round((span / DAY_MS) * 10) / 10;
  throw new ShardedSeedSpanError(
    `the history read spans ${days} days (${summary.firstEventTime} to ${summary.lastEventTime}), more than retentionDays (${config.retentionDays}): a --workers ${workers} seed equals a sequential seed only within retentionDays (docs/semantics.md "Sharded seed"); nothing was written: narrow --from/--to or give --workers 1`,
  );
}

/** Most objects in one chunk (a chunk and the next few are held in memory at once). */
const MAX_CHUNK_OBJECTS = 8;

/** The worker's module, run through tsx (the repository runs TypeScript directly). */
function workerSource(): string {
  const file = join(__dirname, 'replayWorker.ts');
  return `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`;
}

/**
 * `--workers N` for simulate and seed: N threads (this one and N - 1 worker threads), each
 * claiming chunks of consecutive objects as it becomes free (chunks.ts).
 *
 * - simulate: each worker runs the engine for the principals it owns (owners.ts: dealt out by
 *   their weight in a sample of the objects), the events of one principal in replay order; the
 *   summary and `--out` lines are those of one thread, byte for byte.
 * - seed: each worker seeds its own whole objects into its own in-memory baseline (no event
 *   crosses threads) and returns its keys and first sightings; this thread merges them as
 *   docs/semantics.md "Sharded seed" defines (mergeSeedState per key, the earliest first
 *   sighting per principal) and writes the merged baseline once, as runReplay's seed writes it.
 *
 * A worker that fails or stops fails the run with ReplayWorkerError; nothing partial is written
 * (seed writes only after every worker finished).
 */
export async function runParallelReplay(
  options: ParallelReplayOptions,
  deps: ParallelReplayDeps = {},
): Promise<ReplaySummary> {
  const filters = options.filters ?? {};
  const s3 = options.s3 ?? {};
  const n = options.workers;
  // A port between every two workers: the events of an object parsed by one and owned by another
  // (simulate only: a seed worker keeps its events).
  const ports: (MessagePort | undefined)[][] = Array.from({ length: n }, () => new Array(n).fill(undefined));
  for (let a = 0; a < n && options.mode === 'simulate'; a++) {
    for (let b = a + 1; b < n; b++) {
      const channel = new MessageChannel();
      ports[a]![b] = channel.port1;
      ports[b]![a] = channel.port2;
    }
  }
  const merger = new OutMerger(n, options.out);
  const done = new Array<number>(n).fill(0);
  const parsed = new Array<number>(n).fill(0);
  const records = new Array<number>(n).fill(0);
  const results: (WorkerPart | undefined)[] = new Array(n).fill(undefined);
  const workers: Worker[] = [];
  let failed = false;
  let settle!: { resolve: (parts: WorkerPart[]) => void; reject: (err: Error) => void };
  const finished = new Promise<WorkerPart[]>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Awaited once the run started; a worker may fail before that, while this thread still lists.
  finished.catch(() => {});
  const fail = (message: string, cause?: unknown) => {
    if (failed) return;
    failed = true;
    settle.reject(new ReplayWorkerError(message, { cause }));
  };
  let chain = Promise.resolve();
  const name = (w: number) => `replay worker ${w + 1} of ${n}`;
  const onMessage = (w: number) => (m: WorkerMessage) => {
    if (m.t === 'progress') {
      done[w] = m.done;
      parsed[w] = m.parsed;
      records[w] = m.records;
      // Alerts are merged and written in order, one batch after another.
      chain = chain
        .then(() => merger.add(w, m.done, m.out))
        .catch((err: unknown) => fail(`writing the alerts failed: ${(err as Error).message}`, err));
      // Simulate: an object is done once every worker processed it; seed: once parsed and seeded.
      deps.progress?.update(
        options.mode === 'simulate' ? Math.min(...done) : parsed.reduce((a, b) => a + b, 0),
        records.reduce((a, b) => a + b, 0),
      );
    } else if (m.t === 'result') {
      results[w] = m.part;
      if (results.every((r) => r !== undefined)) {
        chain.then(() => settle.resolve(results as WorkerPart[]), settle.reject);
      }
    } else fail(`${name(w)} failed: ${m.message}`);
  };
  let inThread: Promise<void> | undefined;
  let progressStarted = false;
  try {
    // The worker threads start first: each loads its modules (about half a second of CPU) while
    // this thread lists and samples the objects, then waits for its part (WorkerInit).
    for (let w = 1; w < n; w++) {
      const peers = ports[w]!;
      const worker = new Worker(workerSource(), {
        eval: true,
        workerData: { peers } satisfies WorkerStart,
        // This thread's environment as it is now (credentials, region), not the process's at start.
        env: process.env,
        transferList: peers.filter((p): p is MessagePort => p !== undefined),
      });
      workers.push(worker);
      worker.on('message', onMessage(w));
      worker.on('error', (err) => fail(`${name(w)} failed: ${err.message}`, err));
      worker.on('messageerror', (err) => fail(`${name(w)} sent an unreadable message: ${err.message}`, err));
      worker.on('exit', (code) => {
        if (results[w] === undefined) fail(`${name(w)} stopped (exit code ${code}) before finishing`);
      });
      deps.onWorker?.(worker, w);
    }

    const source = createObjectSource(options.source, () => createReplayS3Client(s3));
    const objects = (await source.list())
      .filter((o) => keyMayMatch(parseObjectKey(o.key), filters))
      .sort(compareObjectKeys);
    // Chunks of consecutive objects: one message per chunk and peer, small enough to spread the work.
    const chunkObjects = Math.min(MAX_CHUNK_OBJECTS, Math.max(1, Math.ceil(objects.length / (n * 16))));
    const claims = chunkClaimsBuffer(Math.ceil(objects.length / chunkObjects), n);
    // Simulate: the principals' weights in a sample decide which worker runs each one.
    let owners: [string, number][] = [];
    if (options.mode === 'simulate') {
      const sample = sampleObjects(objects);
      deps.logger?.info({ objects: sample.length }, 'sampling objects to share out the principals');
      const weights = await samplePrincipals(
        sample,
        source,
        decodeOptionsFromConfig(options.config),
        filters,
      );
      owners = planOwners(weights, n);
    }
    deps.logger?.info(
      { objects: objects.length, workers: n, plannedPrincipals: owners.length },
      'replay started',
    );
    // A worker that stopped while this thread listed fails the run now.
    if (failed) await finished;
    deps.progress?.start(objects.length, 0);
    progressStarted = true;
    options.out?.open();
    let packed: PackedObjects | undefined;
    for (let w = 0; w < n; w++) {
      const part: Omit<WorkerInit, 'peers'> = {
        index: w,
        workers: n,
        mode: options.mode,
        objects,
        chunkObjects,
        claims,
        owners,
        source: options.source,
        s3,
        filters,
        overrides: options.overrides ?? {},
        collectAlerts: options.out !== undefined,
        concurrency: Math.max(1, options.concurrency ?? 8),
        ...(options.configPath !== undefined && { configPath: options.configPath }),
        ...(options.suppressions !== undefined && { suppressions: options.suppressions }),
        ...(options.injected !== undefined && { injected: options.injected }),
      };
      if (w > 0) {
        packed ??= packObjects(objects);
        workers[w - 1]!.postMessage({ ...part, objects: packed } satisfies PostedPart);
        continue;
      }
      // This thread is worker 1 (merging the alerts takes little of it): one thread fewer
      // to start. Its part stops if a peer stops (the ports close, see replayPart.ts).
      inThread = runReplayPart({ ...part, peers: ports[0]! }, onMessage(0)).then(
        (result) => onMessage(0)({ t: 'result', part: result }),
        (err: unknown) => fail(`${name(0)} failed: ${(err as Error)?.message ?? String(err)}`, err),
      );
    }
    const parts = await finished;

    const summary = mergeSummaries(options.mode, source.description, parts);
    if (options.mode === 'seed') {
      if (options.seedTarget === undefined) throw new TypeError('seed needs seedTarget');
      checkSeedSpan(summary, options.config, n);
      const merged = await mergeSeedParts(parts, options.config, summary);
      const sink = seedSink({
        config: options.config,
        target: options.seedTarget,
        store: merged,
        ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
      });
      const ctx: SinkContext = { summary, save: async () => {} };
      await sink.start(undefined, ctx);
      await sink.finish(ctx);
      await sink.close();
    }
    return summary;
  } finally {
    if (progressStarted) deps.progress?.stop();
    options.out?.close();
    await Promise.all(workers.map((w) => w.terminate()));
    for (const p of ports[0]!) p?.close();
    await inThread;
  }
}
