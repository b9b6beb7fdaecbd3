/**
 * One part of a parallel replay (runParallelReplay.ts), run by a worker thread (replayWorker.ts)
 * or, for seed, by the main thread itself. It parses its share of the
 * objects (chunks of consecutive objects, chunk % workers).
 *
 * simulate: sends each observed event to the worker owning its principal, and runs the engine
 * over the events of the principals it owns, object by object in replay order: per principal,
 * the events arrive in exactly the order a sequential replay gives them.
 *
 * seed: seeds its own objects' events into its own in-memory baseline with the same seed code
 * (seedSink), nothing crosses threads; the main thread merges the workers' baselines
 * (docs/semantics.md "Sharded seed": shards may be seeded in any order and merged).
 */
import {
  type Alert,
  type ClaimRequest,
  type ClaimResult,
  classifyRecord,
  createSuppressionCheck,
  decodeOptionsFromConfig,
  type ObservedEvent,
  SeedBaselineStore,
} from '@firstseen/core';
import { type AlertEvidence, Explainer, type IamChange, InMemoryExplainStore } from '@firstseen/explain';
import { tallyKeys } from '@firstseen/report';
import type { AlertOut } from '../AlertFileWriter';
import { BadObjectError } from '../errors';
import { type FileValue, parseObject } from '../parseObject';
import type { ReplaySink, SinkContext } from '../ReplaySink';
import { outsideFilters } from '../recordFilter';
import { loadReplayConfig } from '../replayConfig';
import type { BaselineSnapshot } from '../restoreBaseline';
import { seedSink } from '../seedSink';
import { simulateSink } from '../simulateSink';
import { createObjectSource } from '../sources';
import { countOutcome, EventTimeBounds, emptySummary } from '../summary';
import {
  type FirstSeen,
  type OutItem,
  ownerOf,
  type PeerBatch,
  type Position,
  type RoutedEvent,
  type SeedPart,
  type WorkerInit,
  type WorkerMessage,
  type WorkerPart,
} from './protocol';

/** Rounds of chunks parsed ahead of the chunk being processed (so that peers rarely wait). */
const PARSE_AHEAD = 2;

/** The explain store of a worker: in memory, logging the organization-wide writes with their position. */
class PositionedExplainStore extends InMemoryExplainStore {
  constructor(
    private readonly log: OutItem[],
    private readonly at: () => Position,
  ) {
    super();
  }

  override async putProfile(
    principal: string,
    profile: Parameters<InMemoryExplainStore['putProfile']>[1],
    expectedVersion: number | undefined,
    countAction?: string,
  ): Promise<boolean> {
    const ok = await super.putProfile(principal, profile, expectedVersion, countAction);
    if (ok && countAction !== undefined) this.log.push({ k: 'count', p: this.at(), action: countAction });
    return ok;
  }

  override async countBucketPrincipal(bucket: string, principal: string): Promise<void> {
    this.log.push({ k: 'bucket', p: this.at(), bucket, principal });
    await super.countBucketPrincipal(bucket, principal);
  }

  override async recordIamChange(change: IamChange): Promise<void> {
    this.log.push({ k: 'iam', p: this.at(), change: { ...change } });
    await super.recordIamChange(change);
  }
}

/** A seed worker's baseline, noting the principal of each key it claims (for the merged summary). */
class PrincipalSeedStore extends SeedBaselineStore {
  principal = '';
  readonly principals = new Map<string, string>();

  override async claim(req: ClaimRequest): Promise<ClaimResult> {
    const result = await super.claim(req);
    if (!this.principals.has(req.key.pk)) this.principals.set(req.key.pk, this.principal);
    return result;
  }
}

/** A peer's batches in arrival order; a peer that stops (its port closes) fails the wait. */
class Inbox {
  private readonly queue: PeerBatch[] = [];
  private waiting: { resolve: (b: PeerBatch) => void; reject: (e: Error) => void } | undefined;
  private closed = false;

  constructor(
    port: import('node:worker_threads').MessagePort,
    private readonly peer: number,
  ) {
    port.on('message', (b: PeerBatch) => {
      const w = this.waiting;
      if (w) {
        this.waiting = undefined;
        w.resolve(b);
      } else this.queue.push(b);
    });
    port.on('close', () => {
      this.closed = true;
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(this.stopped());
    });
  }

  private stopped(): Error {
    return new Error(`worker ${this.peer + 1} stopped before sending its events`);
  }

  next(): Promise<PeerBatch> {
    const b = this.queue.shift();
    if (b !== undefined) return Promise.resolve(b);
    if (this.closed) return Promise.reject(this.stopped());
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }
}

/** Runs one part; `post` receives its progress messages (the result is the returned part). */
export async function runReplayPart(init: WorkerInit, post: (m: WorkerMessage) => void): Promise<WorkerPart> {
  const { index: me, workers, objects } = init;
  const config = loadReplayConfig(init.configPath, init.overrides);
  const decodeOptions = decodeOptionsFromConfig(config);
  // The AWS SDK is loaded only for an S3 source (each worker thread loads its own modules).
  const source = createObjectSource(init.source, () =>
    (require('../clients') as typeof import('../clients')).createReplayS3Client(init.s3),
  );
  const readSync = source.readSync?.bind(source);
  const summary = emptySummary(init.mode, source.description);
  const times = new EventTimeBounds(summary);
  const firstSeen: FirstSeen = {
    ignoredReasons: {},
    invalidReasons: {},
    alertsBySeverity: {},
    alertsByDay: {},
    newKeysByPrincipal: {},
    tallyDays: {},
    tallyLevelSets: {},
    tallyPrincipals: {},
    tallyPrincipalActions: {},
  };
  const badFiles: WorkerPart['badFiles'] = [];
  const out: OutItem[] = [];
  let position: Position = [0, 0];
  const filters = init.filters;
  const anyFilter =
    (filters.accounts?.length ?? 0) > 0 ||
    (filters.regions?.length ?? 0) > 0 ||
    filters.from !== undefined ||
    filters.to !== undefined;

  let sink: ReplaySink;
  const seedStore = init.mode === 'seed' ? new PrincipalSeedStore() : undefined;
  if (seedStore !== undefined) {
    // The worker only computes its objects' baseline; the main thread merges and writes them.
    // (The target is never written: finish() is not called here.)
    sink = seedSink({ config, target: seedStore, store: seedStore });
  } else {
    const evidence = new Map<string, { ev: AlertEvidence; time: number }>();
    const store = init.collectAlerts
      ? new PositionedExplainStore(out, () => position)
      : new InMemoryExplainStore();
    const explainer = new Explainer({
      store,
      ...(init.collectAlerts && {
        onEvidence: (e: ObservedEvent, ev: AlertEvidence) => evidence.set(e.eventId, { ev, time: e.time }),
      }),
    });
    const collector: AlertOut = {
      bytes: 0,
      open() {},
      write(alert: Alert) {
        // Where the report tally's keys first occur, so that the merged tally keeps their order.
        const keys = tallyKeys(alert);
        if (keys !== undefined) {
          firstSeen.tallyDays[keys.day] ??= position;
          firstSeen.tallyLevelSets[keys.levelSet] ??= position;
          firstSeen.tallyPrincipals[keys.principal] ??= position;
          firstSeen.tallyPrincipalActions[keys.principalAction] ??= position;
        }
        if (!init.collectAlerts) return;
        const ev = evidence.get(alert.eventId);
        evidence.delete(alert.eventId);
        const item: OutItem = { k: 'alert', p: position, alert };
        if (ev !== undefined) {
          item.evidence = ev.ev;
          item.time = ev.time;
        }
        out.push(item);
      },
      flush() {},
      close() {},
    };
    sink = simulateSink({
      config,
      context: explainer.context,
      observer: explainer.observe,
      ...(init.suppressions !== undefined && {
        suppressed: createSuppressionCheck({
          // Loaded only when needed: every module costs each worker's start.
          store: await (
            require('@firstseen/triage') as typeof import('@firstseen/triage')
          ).loadSuppressionsFile(init.suppressions),
          at: 'event',
          ttlMs: 0,
        }),
      }),
      ...(init.injected !== undefined && { injected: new Set(init.injected) }),
      out: collector,
    });
  }
  const ctx: SinkContext = { summary, save: async () => {} };
  await sink.start(undefined, ctx);

  const inboxes = init.peers.map((p, w) => (p === undefined ? undefined : new Inbox(p, w)));
  // Objects go in chunks of `chunkObjects` consecutive objects; chunk c is parsed by worker c % workers.
  const per = init.chunkObjects;
  const chunks = Math.ceil(objects.length / per);
  const ownChunks: number[] = [];
  for (let c = me; c < chunks; c += workers) ownChunks.push(c);
  const ownObjects: number[] = [];
  for (const c of ownChunks)
    for (let i = c * per; i < Math.min(objects.length, (c + 1) * per); i++) ownObjects.push(i);
  const local = new Map<number, RoutedEvent[]>();
  const reads = new Map<number, Promise<Uint8Array | BadObjectError>>();
  let parsedChunks = 0;
  let parsedObjects = 0;
  let requested = 0; // own objects whose read started (asynchronous sources)

  const read = (i: number): Promise<Uint8Array | BadObjectError> =>
    source.read(objects[i]!).catch((err: unknown) => {
      if (err instanceof BadObjectError) return err;
      throw err;
    });

  const parseOne = async (i: number, buckets: RoutedEvent[][]): Promise<void> => {
    const object = objects[i]!;
    let values: FileValue[] | undefined;
    try {
      let bytes: Uint8Array | BadObjectError;
      if (readSync !== undefined) bytes = readSync(object);
      else {
        while (requested < ownObjects.length && requested < parsedObjects + init.concurrency) {
          const j = ownObjects[requested++]!;
          const p = read(j);
          p.catch(() => {});
          reads.set(j, p);
        }
        bytes = await reads.get(i)!;
        reads.delete(i);
      }
      if (bytes instanceof BadObjectError) throw bytes;
      values = parseObject(object.key, bytes);
    } catch (err) {
      if (!(err instanceof BadObjectError)) throw err;
      badFiles.push({ i, bad: { key: err.key, reason: err.reason, detail: err.message } });
    }
    parsedObjects++;
    if (values === undefined) return;
    summary.files++;
    for (let r = 0; r < values.length; r++) {
      const v = values[r]!;
      if (!v.ok) {
        countOutcome(summary, { outcome: 'invalid', reason: 'bad-json', detail: v.detail });
        firstSeen.invalidReasons['bad-json'] ??= [i, r];
        continue;
      }
      if (anyFilter && outsideFilters(v.value, filters)) {
        summary.records++;
        summary.filtered++;
        continue;
      }
      const decoded = classifyRecord(v.value, decodeOptions);
      if (decoded.outcome === 'observed') {
        summary.records++;
        summary.observed++;
        times.add(decoded.event.time);
        buckets[seedStore !== undefined ? me : ownerOf(decoded.event.principal, workers)]!.push({
          i,
          r,
          e: decoded.event,
        });
      } else {
        countOutcome(summary, decoded);
        const map = decoded.outcome === 'ignored' ? firstSeen.ignoredReasons : firstSeen.invalidReasons;
        map[decoded.reason] ??= [i, r];
      }
    }
  };

  const parseChunk = async (c: number): Promise<void> => {
    const buckets: RoutedEvent[][] = Array.from({ length: workers }, () => []);
    for (let i = c * per; i < Math.min(objects.length, (c + 1) * per); i++) await parseOne(i, buckets);
    for (let w = 0; w < workers; w++) {
      if (w === me) local.set(c, buckets[w]!);
      else if (seedStore === undefined)
        init.peers[w]!.postMessage({ c, events: buckets[w]! } satisfies PeerBatch);
    }
    parsedChunks++;
  };

  let severities = 0;
  let days = 0;
  const processEvents = async (events: RoutedEvent[]): Promise<void> => {
    for (const { i, r, e } of events) {
      position = [i, r];
      if (seedStore !== undefined) seedStore.principal = e.principal;
      const hadPrincipal = e.principal in summary.newKeysByPrincipal;
      const alerts = summary.alerts;
      await sink.event(e, e.record, ctx);
      if (!hadPrincipal && e.principal in summary.newKeysByPrincipal)
        firstSeen.newKeysByPrincipal[e.principal] = position;
      if (summary.alerts !== alerts) {
        // A new severity or day only comes with an alert.
        if (Object.keys(summary.alertsBySeverity).length !== severities) {
          for (const k of Object.keys(summary.alertsBySeverity)) firstSeen.alertsBySeverity[k] ??= position;
          severities = Object.keys(summary.alertsBySeverity).length;
        }
        if (Object.keys(summary.alertsByDay).length !== days) {
          for (const k of Object.keys(summary.alertsByDay)) firstSeen.alertsByDay[k] ??= position;
          days = Object.keys(summary.alertsByDay).length;
        }
      }
    }
  };
  const progress = (done: number): void =>
    post({
      t: 'progress',
      done,
      records: summary.records,
      out: out.splice(0),
    } satisfies WorkerMessage);

  if (seedStore !== undefined) {
    // Seed: this worker's chunks only, each seeded as soon as parsed.
    for (const c of ownChunks) {
      await parseChunk(c);
      const events = local.get(c)!;
      local.delete(c);
      await processEvents(events);
      progress(Math.min(objects.length, (c + 1) * per));
    }
  } else {
    for (let c = 0; c < chunks; c++) {
      while (parsedChunks < ownChunks.length && ownChunks[parsedChunks]! <= c + PARSE_AHEAD * workers)
        await parseChunk(ownChunks[parsedChunks]!);
      const from = c % workers;
      let events: RoutedEvent[];
      if (from === me) {
        events = local.get(c)!;
        local.delete(c);
      } else {
        const batch = await inboxes[from]!.next();
        if (batch.c !== c)
          throw new Error(`worker ${from + 1} sent chunk ${batch.c} where ${c} was expected`);
        events = batch.events;
      }
      await processEvents(events);
      progress(Math.min(objects.length, (c + 1) * per));
    }
  }
  await sink.flush(ctx);
  if (init.mode === 'simulate') await sink.finish(ctx);
  times.write();
  const part: WorkerPart = { summary, firstSeen, badFiles };
  if (seedStore !== undefined) {
    const baseline = (sink.snapshot() as { baseline: BaselineSnapshot }).baseline;
    // The principal of each key, in the snapshot's order.
    const state: SeedPart = {
      baseline,
      principals: baseline.keys.map(([pk]) => seedStore.principals.get(pk) ?? ''),
    };
    part.state = state;
  }
  await sink.close();
  for (const p of init.peers) p?.close();
  return part;
}
