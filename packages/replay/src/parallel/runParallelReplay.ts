import { join } from 'node:path';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { BaselineStore, Config } from '@firstseen/core';
import { contextWithFacts, InMemoryExplainStore } from '@firstseen/explain';
import type { AlertFileWriter } from '../AlertFileWriter';
import type { ClientOptions } from '../clients';
import { createReplayS3Client } from '../clients';
import { ReplayWorkerError } from '../errors';
import { compareObjectKeys, keyMayMatch, parseObjectKey, type ReplayFilters } from '../objectKeys';
import type { SinkContext } from '../ReplaySink';
import type { BaselineSnapshot } from '../restoreBaseline';
import type { ReplayLogger, ReplayProgress } from '../runReplay';
import { seedSink } from '../seedSink';
import { createObjectSource, type SourceSpec } from '../sources';
import type { ReplaySummary } from '../summary';
import { mergeSummaries } from './mergeSummaries';
import {
  comparePositions,
  type OutItem,
  type ParallelMode,
  type WorkerInit,
  type WorkerMessage,
  type WorkerPart,
} from './protocol';

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

/** Most objects in one chunk (a chunk and the next few are held in memory at once). */
const MAX_CHUNK_OBJECTS = 16;

/** The worker's module, run through tsx (the repository runs TypeScript directly). */
function workerSource(): string {
  const file = join(__dirname, 'replayWorker.ts');
  return `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`;
}

/**
 * `--workers N` for simulate and seed: N worker threads, each parsing every N-th object and
 * running the engine for the principals it owns (a hash of the principal), the events of one
 * principal in replay order. Meaning is unchanged: simulate's summary and `--out` lines are
 * those of one thread, byte for byte; seed's merged baseline (every key and first sighting
 * belongs to one principal, so to one worker) is written once, as runReplay's seed writes it.
 * A worker that fails or stops fails the run with ReplayWorkerError; nothing partial is written
 * (seed writes only after every worker finished).
 */
export async function runParallelReplay(
  options: ParallelReplayOptions,
  deps: ParallelReplayDeps = {},
): Promise<ReplaySummary> {
  const filters = options.filters ?? {};
  const s3 = options.s3 ?? {};
  const source = createObjectSource(options.source, () => createReplayS3Client(s3));
  const objects = (await source.list())
    .filter((o) => keyMayMatch(parseObjectKey(o.key), filters))
    .sort(compareObjectKeys);
  const n = options.workers;
  // Chunks of consecutive objects: one message per chunk and peer, small enough to spread the work.
  const chunkObjects = Math.min(MAX_CHUNK_OBJECTS, Math.max(1, Math.ceil(objects.length / (n * 16))));
  deps.logger?.info({ objects: objects.length, workers: n }, 'replay started');
  deps.progress?.start(objects.length, 0);

  // A port between every two workers: the events of an object parsed by one and owned by another.
  const ports: (MessagePort | undefined)[][] = Array.from({ length: n }, () => new Array(n).fill(undefined));
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const channel = new MessageChannel();
      ports[a]![b] = channel.port1;
      ports[b]![a] = channel.port2;
    }
  }
  const merger = new OutMerger(n, options.out);
  options.out?.open();
  const done = new Array<number>(n).fill(0);
  const records = new Array<number>(n).fill(0);
  const workers: Worker[] = [];
  let failed = false;
  try {
    const parts = await new Promise<WorkerPart[]>((resolve, reject) => {
      const results: (WorkerPart | undefined)[] = new Array(n).fill(undefined);
      let chain = Promise.resolve();
      const fail = (message: string, cause?: unknown) => {
        if (failed) return;
        failed = true;
        reject(new ReplayWorkerError(message, { cause }));
      };
      for (let w = 0; w < n; w++) {
        const peers = ports[w]!;
        const init: WorkerInit = {
          index: w,
          workers: n,
          mode: options.mode,
          objects,
          chunkObjects,
          source: options.source,
          s3,
          filters,
          overrides: options.overrides ?? {},
          collectAlerts: options.out !== undefined,
          concurrency: Math.max(1, options.concurrency ?? 8),
          peers,
          ...(options.configPath !== undefined && { configPath: options.configPath }),
          ...(options.suppressions !== undefined && { suppressions: options.suppressions }),
          ...(options.injected !== undefined && { injected: options.injected }),
        };
        const worker = new Worker(workerSource(), {
          eval: true,
          workerData: init,
          // This thread's environment as it is now (credentials, region), not the process's at start.
          env: process.env,
          transferList: peers.filter((p): p is MessagePort => p !== undefined),
        });
        workers.push(worker);
        const name = `replay worker ${w + 1} of ${n}`;
        worker.on('message', (m: WorkerMessage) => {
          if (m.t === 'progress') {
            done[w] = m.done;
            records[w] = m.records;
            // Alerts are merged and written in order, one batch after another.
            chain = chain
              .then(() => merger.add(w, m.done, m.out))
              .catch((err: unknown) => fail(`writing the alerts failed: ${(err as Error).message}`, err));
            deps.progress?.update(
              Math.min(...done),
              records.reduce((a, b) => a + b, 0),
            );
          } else if (m.t === 'result') {
            results[w] = m.part;
            if (results.every((r) => r !== undefined)) {
              chain.then(() => resolve(results as WorkerPart[]), reject);
            }
          } else fail(`${name} failed: ${m.message}`);
        });
        worker.on('error', (err) => fail(`${name} failed: ${err.message}`, err));
        worker.on('messageerror', (err) => fail(`${name} sent an unreadable message: ${err.message}`, err));
        worker.on('exit', (code) => {
          if (results[w] === undefined) fail(`${name} stopped (exit code ${code}) before finishing`);
        });
        deps.onWorker?.(worker, w);
      }
    });

    const summary = mergeSummaries(options.mode, source.description, parts);
    if (options.mode === 'seed') {
      const keys: BaselineSnapshot['keys'] = [];
      const sightings: BaselineSnapshot['sightings'] = [];
      for (const part of parts) {
        const state = part.state as { baseline: BaselineSnapshot };
        for (const k of state.baseline.keys) keys.push(k);
        for (const s of state.baseline.sightings) sightings.push(s);
      }
      if (options.seedTarget === undefined) throw new TypeError('seed needs seedTarget');
      const sink = seedSink({
        config: options.config,
        target: options.seedTarget,
        ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
      });
      const ctx: SinkContext = { summary, save: async () => {} };
      // Every key and first sighting belongs to one principal, so to one worker: a union.
      await sink.start({ baseline: { keys, sightings }, keysWritten: 0, principalsWritten: 0 }, ctx);
      await sink.finish(ctx);
      await sink.close();
    }
    return summary;
  } finally {
    deps.progress?.stop();
    options.out?.close();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
