import type { Alert, ObservedEvent } from '@firstseen/core';
import type { AlertEvidence, IamChange } from '@firstseen/explain';
import type { ClientOptions } from '../clients';
import type { ReplayFilters } from '../objectKeys';
import type { ReplayObject, SourceSpec } from '../sources';
import type { BadObject, ReplaySummary } from '../summary';

/**
 * A place in replay order: the object's index in the sorted listing and the record's index in
 * the object. Everything a parallel replay merges is ordered by it.
 */
export type Position = readonly [objectIndex: number, recordIndex: number];

export function comparePositions(a: Position, b: Position): number {
  return a[0] - b[0] || a[1] - b[1];
}

export type ParallelMode = 'simulate' | 'seed';

/** What a worker thread is started with (workerData), before the objects are listed. */
export interface WorkerStart {
  /** One port to every other worker (undefined at this worker's own index). */
  peers: (import('node:worker_threads').MessagePort | undefined)[];
}

/** A worker's part of the run: posted to a worker thread (without `peers`, given at its start). */
export interface WorkerInit {
  index: number;
  workers: number;
  mode: ParallelMode;
  /** Every object to replay, sorted (docs/semantics.md "Order"). */
  objects: ReplayObject[];
  /** Consecutive objects per chunk: the unit a worker claims, parses and (simulate) sends to its peers. */
  chunkObjects: number;
  /**
   * Shared by all workers (Int32Array): [0] the next chunk to claim (Atomics.add), [1 + c] the
   * worker that claimed chunk c, plus one (0 while unclaimed).
   */
  claims: SharedArrayBuffer;
  /** simulate: the planned owner of each principal (owners.ts); the others go by hash. */
  owners: [string, number][];
  source: SourceSpec;
  s3: ClientOptions;
  filters: ReplayFilters;
  configPath?: string;
  overrides: { windowDays?: number; burnInDays?: number; retentionDays?: number };
  suppressions?: string;
  /** simulate: eventIDs of injected attacks (`--injected`). */
  injected?: string[];
  /** simulate: send the alerts (and the explanations' organization-wide facts) for `--out`. */
  collectAlerts: boolean;
  /** Objects read ahead from an asynchronous source (S3). */
  concurrency: number;
  /** One port to every other worker (undefined at this worker's own index). */
  peers: (import('node:worker_threads').MessagePort | undefined)[];
}

/** One observed event sent to the worker that owns its principal. */
export interface RoutedEvent {
  i: number;
  r: number;
  e: ObservedEvent;
}

/** The events of one chunk owned by the receiving worker, from the worker that claimed it, in replay order. */
export interface PeerBatch {
  /** The chunk. */
  c: number;
  events: import('./eventCodec').EncodedEvents;
}

/** What simulate's `--out` needs, in replay order (see runParallelReplay). */
export type OutItem =
  | { k: 'alert'; p: Position; alert: Alert; evidence?: AlertEvidence; time?: number }
  | { k: 'count'; p: Position; action: string }
  | { k: 'iam'; p: Position; change: IamChange }
  | { k: 'bucket'; p: Position; bucket: string; principal: string };

/** Where each key of the summary's maps first appeared, so that merged maps keep the sequential order. */
export type FirstSeen = Record<
  | 'ignoredReasons'
  | 'invalidReasons'
  | 'alertsBySeverity'
  | 'alertsByDay'
  | 'newKeysByPrincipal'
  | 'tallyDays'
  | 'tallyLevelSets'
  | 'tallyPrincipals'
  | 'tallyPrincipalActions',
  Record<string, Position>
>;

/** A seed worker's result: its baseline (seedSink's snapshot) and the principal of each key. */
export interface SeedPart {
  baseline: import('../restoreBaseline').BaselineSnapshot;
  /** principals[k] owns baseline.keys[k]. */
  principals: string[];
}

export interface WorkerPart {
  summary: ReplaySummary;
  firstSeen: FirstSeen;
  badFiles: { i: number; bad: BadObject }[];
  /** seed: the worker's baseline. */
  state?: SeedPart;
}

export type WorkerMessage =
  | {
      t: 'progress';
      /** simulate: every object before this one was processed by this worker (the merge's horizon). */
      done: number;
      /** Objects this worker parsed so far. */
      parsed: number;
      records: number;
      out: OutItem[];
    }
  | { t: 'result'; part: WorkerPart }
  | { t: 'error'; message: string };

/**
 * The objects as a worker thread receives them: a few strings and arrays instead of one object
 * per key, which took a tenth of a second to copy into the thread for 65,860 objects while
 * both threads waited.
 */
export interface PackedObjects {
  keys: string;
  keyLengths: Uint32Array;
  deliveries: string;
  deliveryLengths: Uint32Array;
  /** NaN: no size. */
  sizes: Float64Array;
}

export function packObjects(objects: readonly ReplayObject[]): PackedObjects {
  const n = objects.length;
  const keyLengths = new Uint32Array(n);
  const deliveryLengths = new Uint32Array(n);
  const sizes = new Float64Array(n);
  const keys: string[] = new Array(n);
  const deliveries: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = objects[i]!;
    keys[i] = o.key;
    keyLengths[i] = o.key.length;
    deliveries[i] = o.delivery;
    deliveryLengths[i] = o.delivery.length;
    sizes[i] = o.size ?? Number.NaN;
  }
  return { keys: keys.join(''), keyLengths, deliveries: deliveries.join(''), deliveryLengths, sizes };
}

export function unpackObjects(packed: PackedObjects): ReplayObject[] {
  const n = packed.sizes.length;
  const objects: ReplayObject[] = new Array(n);
  let k = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const key = packed.keys.slice(k, k + packed.keyLengths[i]!);
    const delivery = packed.deliveries.slice(d, d + packed.deliveryLengths[i]!);
    k += key.length;
    d += delivery.length;
    const size = packed.sizes[i]!;
    objects[i] = Number.isNaN(size) ? { key, delivery } : { key, delivery, size };
  }
  return objects;
}

/** What a worker thread is posted: its part, the objects packed. */
export type PostedPart = Omit<WorkerInit, 'peers' | 'objects'> & { objects: PackedObjects };
