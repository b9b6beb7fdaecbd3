/**
 * One part of a parallel replay (runParallelReplay.ts), run by a worker thread (replayWorker.ts)
 * or, for the first part, by the main thread itself. It parses the chunks of consecutive objects
 * it claims (chunks.ts: whichever worker is free claims the next).
 *
 * simulate: sends each observed event to the worker owning its principal (owners.ts), and runs the engine
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
  createSuppressionCheck,
  decodedFieldsOf,
  decodeOptionsFromConfig,
  type ObservedEvent,
  SeedBaselineStore,
} from '@firstseen/core';
import type { AlertEvidence, IamChange } from '@firstseen/explain';
// From their files, not explain's index: a worker thread loads every module it imports,
// and that index also loads the DynamoDB store and the AWS SDK, which it never uses.
import { Explainer } from '@firstseen/explain/src/Explainer';
import { InMemoryExplainStore } from '@firstseen/explain/src/InMemoryExplainStore';
import { tallyKeys } from '@firstseen/report';
import pLimit from 'p-limit';
import type { AlertOut } from '../AlertFileWriter';
import { BadObjectError } from '../errors';
import { type FileValue, parseObject } from '../parseObject';
import { RecordCounter } from '../RecordCounter';
import type { ReplaySink, SinkContext } from '../ReplaySink';
import { loadReplayConfig } from '../replayConfig';
import type { BaselineSnapshot } from '../restoreBaseline';
import { seedSink } from '../seedSink';
import { simulateSink } from '../simulateSink';
import { createObjectSource } from '../sources';
import { emptySummary } from '../summary';
import { ChunkClaims, ChunkInbox } from './chunks';
import { EventEncoder } from './eventCodec';
import { PrincipalOwners } from './owners';
import type {
  FirstSeen,
  OutItem,
  PeerBatch,
  Position,
  RoutedEvent,
  SeedPart,
  WorkerInit,
  WorkerMessage,
  WorkerPart,
} from './protocol';

/**
 * Rounds of chunks parsed ahead of the chunk being processed, so that peers rarely wait. One:
 * the events a worker keeps for its own later chunks are what its young generation copies and
 * promotes (two rounds of 16 objects promoted several times as much, README "Workers").
 */
const PARSE_AHEAD = 1;
/** Simulate: rounds of chunks a worker may be ahead of the slowest one and still claim more. */
const LEAD_LIMIT = 4;

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

  override claim(req: ClaimRequest): Promise<ClaimResult> {
    // Not async: a promise less for every key of every event.
    if (!this.principals.has(req.key.pk)) this.principals.set(req.key.pk, this.principal);
    return super.claim(req);
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
  const counter = new RecordCounter(summary, init.filters, decodeOptions);
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

  const per = init.chunkObjects;
  /** The object after chunk c's last. */
  const chunkEnd = (c: number): number => Math.min(objects.length, (c + 1) * per);
  const claims = new ChunkClaims(init.claims, Math.ceil(objects.length / per), workers, me);
  const inbox = seedStore === undefined ? new ChunkInbox(init.peers, claims) : undefined;
  const owners = new PrincipalOwners(workers, init.owners);
  const local = new Map<number, RoutedEvent[]>();
  let parsedObjects = 0;

  /** A claimed chunk: its objects' reads, started at once for an asynchronous source (S3). */
  interface Claimed {
    c: number;
    reads?: Promise<Uint8Array | BadObjectError>[];
  }
  const limit = pLimit(Math.max(1, init.concurrency));
  const claim = (): Claimed | undefined => {
    const c = claims.claim();
    if (c === undefined) return undefined;
    if (readSync !== undefined) return { c };
    const reads: Claimed['reads'] = [];
    for (let i = c * per; i < chunkEnd(c); i++) {
      const read = limit(() => source.read(objects[i]!)).catch((err: unknown) => {
        if (err instanceof BadObjectError) return err;
        throw err;
      });
      read.catch(() => {});
      reads.push(read);
    }
    return { c, reads };
  };

  /** Parses object i, giving each observed event to `emit` in record order. */
  const parseOne = async (
    i: number,
    read: Claimed['reads'],
    emit: (i: number, r: number, e: ObservedEvent) => void,
  ): Promise<void> => {
    const object = objects[i]!;
    let values: FileValue[] | undefined;
    try {
      const bytes = read === undefined ? readSync!(object) : await read[i % per]!;
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
      const event = counter.observed(values[r]!);
      if (event !== undefined) emit(i, r, event);
      else if (counter.notObserved !== undefined) {
        const { kind, reason } = counter.notObserved;
        (kind === 'ignored' ? firstSeen.ignoredReasons : firstSeen.invalidReasons)[reason] ??= [i, r];
      }
    }
  };

  // Simulate: each event goes to the worker owning its principal, its record cut to what
  // detection reads; the rest of the record is young garbage at once. Events for a peer are
  // encoded as they come (eventCodec.ts), this worker's own are kept until their chunk's turn.
  const encoders = Array.from({ length: workers }, (_, w) => (w === me ? undefined : new EventEncoder()));
  let own: RoutedEvent[] = [];
  const route = (i: number, r: number, e: ObservedEvent): void => {
    const w = owners.of(e.principal);
    if (w === me) {
      e.record = decodedFieldsOf(e.record);
      own.push({ i, r, e });
    } else encoders[w]!.add(i, r, e);
  };

  const parseChunk = async ({ c, reads }: Claimed): Promise<void> => {
    for (let i = c * per; i < chunkEnd(c); i++) await parseOne(i, reads, route);
    local.set(c, own);
    own = [];
    encoders.forEach((encoder, w) => {
      if (encoder === undefined) return;
      const events = encoder.take();
      init.peers[w]!.postMessage({ c, events } satisfies PeerBatch, [
        events.ints.buffer,
        events.times.buffer,
      ]);
    });
  };

  let severities = 0;
  let days = 0;
  const processEvents = async (events: RoutedEvent[]): Promise<void> => {
    for (const { i, r, e } of events) {
      position = [i, r];
      if (seedStore !== undefined) seedStore.principal = e.principal;
      const hadPrincipal = e.principal in summary.newKeysByPrincipal;
      const alerts = summary.alerts;
      // simulate and seed read the event only, never this argument: a received event's record
      // stays unparsed unless detection reads it (eventCodec.ts).
      await sink.event(e, undefined, ctx);
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
      parsed: parsedObjects,
      records: summary.records,
      out: out.splice(0),
    } satisfies WorkerMessage);

  // Chunks claimed with their reads in flight: enough to keep `concurrency` reads going.
  const depth = readSync !== undefined ? 1 : 1 + Math.ceil(init.concurrency / per);
  const pipeline: Claimed[] = [];
  let exhausted = false;
  const refill = (until = Number.POSITIVE_INFINITY): void => {
    while (!exhausted && pipeline.length < depth && claims.next() <= until) {
      const claimed = claim();
      if (claimed === undefined) exhausted = true;
      else pipeline.push(claimed);
    }
  };

  if (seedStore !== undefined) {
    // Seed: whole chunks, claimed until none is left, each seeded as soon as parsed.
    for (;;) {
      refill();
      const claimed = pipeline.shift();
      if (claimed === undefined) break;
      // Object by object, as runReplay does: a chunk's records parsed at once would outlive
      // the young generation: collecting them took a fifth of each worker's time.
      const { c, reads } = claimed;
      for (let i = c * per; i < chunkEnd(c); i++) {
        const events: RoutedEvent[] = [];
        await parseOne(i, reads, (i, r, e) => events.push({ i, r, e }));
        await processEvents(events);
      }
      progress(0);
    }
  } else {
    // Simulate: every chunk in order, this worker's principals' events of it. Before waiting for
    // chunk c, this worker claims the chunks up to PARSE_AHEAD rounds past c, and parses and
    // sends every chunk it claimed: so the slowest worker never waits for an unclaimed chunk
    // and the run always moves on. While chunk c has not arrived, it parses the next chunks
    // instead of waiting. A worker more than LEAD_LIMIT rounds ahead of the slowest claims no
    // more, which bounds what the inboxes hold.
    const ahead = PARSE_AHEAD * workers;
    const lead = LEAD_LIMIT * workers;
    const horizon = (c: number) => Math.min(c, claims.slowest() + lead) + ahead;
    const parseClaims = async (until: number): Promise<void> => {
      refill(until);
      for (let next = pipeline.shift(); next !== undefined; next = pipeline.shift()) await parseChunk(next);
    };
    for (let c = 0; c < claims.chunks; c++) {
      while (!exhausted && claims.next() <= horizon(c)) await parseClaims(horizon(c));
      // A peer's batch that arrived while this thread was busy is delivered only when it
      // yields to the event loop: so it yields before each chunk it parses instead of waiting.
      while (!exhausted && !local.has(c) && !inbox!.has(c)) {
        await new Promise(setImmediate);
        const until = claims.slowest() + lead + ahead;
        if (inbox!.has(c) || claims.next() > until) break;
        await parseClaims(claims.next());
      }
      let events = local.get(c);
      if (events !== undefined) local.delete(c);
      else events = await inbox!.take(c);
      await processEvents(events);
      claims.processed(c + 1);
      progress(chunkEnd(c));
    }
  }
  await sink.flush(ctx);
  if (init.mode === 'simulate') await sink.finish(ctx);
  counter.times.write();
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
