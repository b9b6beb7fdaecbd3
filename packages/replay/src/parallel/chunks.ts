/**
 * How the workers of a parallel replay share out the objects: in chunks of consecutive objects,
 * each claimed by whichever worker asks next (a counter in shared memory), so a worker slowed by
 * the machine's other work simply claims fewer. In simulate, each chunk's events then travel to
 * the workers owning their principals (ChunkInbox).
 */
import type { MessagePort } from 'node:worker_threads';
import { decodeEvents, type EncodedEvents } from './eventCodec';
import type { PeerBatch, RoutedEvent } from './protocol';

/** The shared memory of ChunkClaims for `chunks` chunks and `workers` workers. */
export function chunkClaimsBuffer(chunks: number, workers: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (1 + workers + chunks));
}

/**
 * One worker's view of the shared claims: [0] the next chunk, [1 + w] the chunks worker w has
 * processed (simulate), [1 + workers + c] chunk c's worker plus one.
 */
export class ChunkClaims {
  private readonly cells: Int32Array;

  constructor(
    buffer: SharedArrayBuffer,
    readonly chunks: number,
    private readonly workers: number,
    private readonly me: number,
  ) {
    this.cells = new Int32Array(buffer);
  }

  /** The next unclaimed chunk, now this worker's; undefined when every chunk is claimed. */
  claim(): number | undefined {
    const c = Atomics.add(this.cells, 0, 1);
    if (c >= this.chunks) return undefined;
    Atomics.store(this.cells, 1 + this.workers + c, this.me + 1);
    return c;
  }

  /** Simulate: this worker has processed every chunk before `c`. */
  processed(c: number): void {
    Atomics.store(this.cells, 1 + this.me, c);
  }

  /** Simulate: every worker has processed the chunks before this one (the slowest worker's place). */
  slowest(): number {
    let min = this.chunks;
    for (let w = 0; w < this.workers; w++) min = Math.min(min, Atomics.load(this.cells, 1 + w));
    return min;
  }

  /** The chunk the next claim would get (another worker may claim it first). */
  next(): number {
    return Math.min(Atomics.load(this.cells, 0), this.chunks);
  }

  /** The worker that claimed chunk c; undefined while it is unclaimed. */
  workerOf(c: number): number | undefined {
    const w = Atomics.load(this.cells, 1 + this.workers + c);
    return w === 0 ? undefined : w - 1;
  }
}

/**
 * The batches the peers send this worker, by chunk. A wait for a chunk fails when the worker that
 * claimed it stops (its port closes) without having sent it.
 */
export class ChunkInbox {
  /** Kept encoded until taken: a fraction of the memory of the events. */
  private readonly batches = new Map<number, EncodedEvents>();
  private readonly closed = new Set<number>();
  private waiting:
    | { c: number; resolve: (events: RoutedEvent[]) => void; reject: (e: Error) => void }
    | undefined;

  constructor(
    ports: readonly (MessagePort | undefined)[],
    private readonly claims: ChunkClaims,
  ) {
    ports.forEach((port, peer) => {
      port?.on('message', (b: PeerBatch) => {
        const w = this.waiting;
        if (w !== undefined && w.c === b.c) {
          this.waiting = undefined;
          w.resolve(decodeEvents(b.events));
        } else this.batches.set(b.c, b.events);
      });
      port?.on('close', () => {
        this.closed.add(peer);
        this.check();
      });
    });
  }

  private check(): void {
    const w = this.waiting;
    if (w === undefined) return;
    // A chunk nobody has claimed while a peer has stopped: a worker that finishes has processed
    // (so seen claimed) every chunk, so that peer stopped early, holding the others back.
    const peer = this.claims.workerOf(w.c) ?? this.closed.values().next().value;
    if (peer !== undefined && this.closed.has(peer)) {
      this.waiting = undefined;
      w.reject(new Error(`worker ${peer + 1} stopped before sending the events of chunk ${w.c}`));
    }
  }

  /** Whether chunk c's events have arrived (take would not wait). */
  has(c: number): boolean {
    return this.batches.has(c);
  }

  /** Chunk c's events for this worker, from the peer that claimed it. */
  take(c: number): Promise<RoutedEvent[]> {
    const events = this.batches.get(c);
    if (events !== undefined) {
      this.batches.delete(c);
      return Promise.resolve(decodeEvents(events));
    }
    return new Promise((resolve, reject) => {
      this.waiting = { c, resolve, reject };
      this.check();
    });
  }
}
