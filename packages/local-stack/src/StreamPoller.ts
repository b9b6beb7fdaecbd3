import type { Logger } from 'pino';
import { type CheckpointStore, InMemoryCheckpointStore } from './CheckpointStore';
import {
  DEFAULT_MAPPING_SETTINGS,
  type EventSourceMappingSettings,
  type FailureCondition,
  type OnFailureDestination,
  type ShardRecord,
} from './eventSourceMapping';

/** A shard as the stream lists it. */
export interface ShardInfo {
  shardId: string;
  parentShardId?: string;
}

/** The stream-specific part of a poller: Kinesis or DynamoDB Streams. */
export interface ShardSource<R> {
  streamArn: string;
  listShards(): Promise<ShardInfo[]>;
  /** An iterator after `afterSequenceNumber`, or at the trim horizon. */
  iterator(shardId: string, afterSequenceNumber: string | undefined): Promise<string | undefined>;
  /**
   * Up to `limit` records. `skippedThrough` is the last sequence number of records the mapping's
   * filter dropped (they count as processed); `next` is undefined once a closed shard is read out.
   */
  read(
    shardId: string,
    iterator: string,
    limit: number,
  ): Promise<{ records: ShardRecord<R>[]; next: string | undefined; skippedThrough?: string }>;
  /**
   * The error says the iterator points before the oldest record the stream still holds
   * (DynamoDB Streams' TrimmedDataAccessException).
   */
  isTrimmed?(err: unknown): boolean;
}

/** A batch handler's answer: Lambda's partial batch response, or nothing (all succeeded). */
export type BatchResponse =
  | { batchItemFailures?: { itemIdentifier?: string | null }[] | null }
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler may return nothing, as a Lambda handler may
  | void;

export interface StreamPollerOptions<R, E> {
  source: ShardSource<R>;
  toEvent(records: R[]): E;
  handler(event: E): Promise<BatchResponse>;
  settings?: Partial<EventSourceMappingSettings>;
  checkpoints?: CheckpointStore;
  onFailure?: OnFailureDestination;
  functionName?: string;
  /** Pause between polls of a shard that returned nothing (Lambda polls about once a second). */
  pollIntervalMs?: number;
  /** Pause before retrying a failed batch, times the attempt number (capped at 10 times). */
  retryDelayMs?: number;
  /** How often to look for new shards (DynamoDB Streams rolls shards over). */
  shardDiscoveryMs?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
}

/** Unwinds a killed poller's shard loop (its checkpoints must not move any more). */
class Killed extends Error {}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An event source mapping for a stream, with Lambda's semantics:
 * - each shard is read in order, one batch in flight per shard, shards side by side;
 * - a batch is up to `batchSize` records, gathered for at most `maximumBatchingWindowMs`;
 * - a partial batch response checkpoints before the lowest failed sequence number and retries
 *   from there; an invalid item identifier fails the whole batch;
 * - a function error (a throw) fails the batch; with bisect on, a failed batch of more than one
 *   record is split in halves that are retried on their own (a split consumes no retry);
 * - after `maximumRetryAttempts` retries, or when records are older than
 *   `maximumRecordAgeSeconds`, the records go to the on-failure destination and are skipped;
 * - the checkpoint (per shard, in the given store) moves only past records that are done, so
 *   a poller stopped or killed mid-batch and started again redelivers, and never skips, them.
 */
export class StreamPoller<R, E> {
  readonly settings: EventSourceMappingSettings;
  readonly checkpoints: CheckpointStore;
  private readonly clock: () => number;
  private readonly sleepFn: (ms: number) => Promise<void>;
  private readonly functionName: string;
  private readonly loops = new Map<string, Promise<void>>();
  private readonly finishedShards = new Set<string>();
  private stopping = false;
  private killed = false;
  private wake: (() => void) | undefined;
  private stopSignal: Promise<void>;
  private discovery: Promise<void> | undefined;
  private invocations = 0;

  constructor(private readonly options: StreamPollerOptions<R, E>) {
    this.settings = { ...DEFAULT_MAPPING_SETTINGS, ...options.settings };
    this.checkpoints = options.checkpoints ?? new InMemoryCheckpointStore();
    this.clock = options.clock ?? Date.now;
    this.sleepFn = options.sleep ?? realSleep;
    this.functionName = options.functionName ?? 'local-function';
    this.stopSignal = new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Handler invocations so far (tests). */
  get invocationCount(): number {
    return this.invocations;
  }

  /** Lists the shards and starts reading them; resolves once every shard loop is running. */
  async start(): Promise<void> {
    await this.discoverShards();
    const every = this.options.shardDiscoveryMs;
    if (every !== undefined && every > 0) {
      this.discovery = (async () => {
        while (!this.stopping) {
          await this.pause(every);
          if (this.stopping) break;
          await this.discoverShards().catch((err: unknown) =>
            this.options.logger?.warn({ err }, 'shard discovery failed'),
          );
        }
      })();
    }
  }

  /** Stops polling and waits for the batches in flight to finish (and be checkpointed). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.discovery;
    await Promise.all(this.loops.values());
  }

  /**
   * Abandons the poller at once, as a killed process would: batches in flight are never
   * checkpointed (their handlers may still be running), so a new poller redelivers them.
   */
  kill(): void {
    this.killed = true;
    this.stopping = true;
    this.wake?.();
  }

  private async discoverShards(): Promise<void> {
    const shards = await this.options.source.listShards();
    for (const shard of shards) {
      if (this.loops.has(shard.shardId) || this.stopping) continue;
      const parent = shard.parentShardId !== undefined ? this.loops.get(shard.parentShardId) : undefined;
      // A child shard's records come after its parent's: read it once the parent is read out.
      const loop = (parent ?? Promise.resolve()).then(() => this.shardLoop(shard.shardId));
      this.loops.set(
        shard.shardId,
        loop.catch((err: unknown) => {
          if (!(err instanceof Killed))
            this.options.logger?.error({ err, shardId: shard.shardId }, 'shard loop failed');
        }),
      );
    }
  }

  private async pause(ms: number): Promise<void> {
    await Promise.race([this.sleepFn(ms), this.stopSignal]);
  }

  private async checkpoint(shardId: string, sequenceNumber: string): Promise<void> {
    if (this.killed) throw new Killed();
    await this.checkpoints.set(shardId, sequenceNumber);
  }

  private async shardLoop(shardId: string): Promise<void> {
    const { source, logger } = this.options;
    const pollInterval = this.options.pollIntervalMs ?? 200;
    let iterator: string | undefined;
    let buffer: ShardRecord<R>[] = [];
    let windowStart = 0;
    let fromOldest = false;
    let trimmedInARow = 0;
    while (!this.stopping) {
      try {
        if (iterator === undefined) {
          if (this.finishedShards.has(shardId)) return;
          const checkpoint = fromOldest ? undefined : await this.checkpoints.get(shardId);
          iterator = await source.iterator(shardId, checkpoint);
          fromOldest = false;
          buffer = [];
          if (iterator === undefined) return;
        }
        const room = this.settings.batchSize - buffer.length;
        const read = await source.read(shardId, iterator, room);
        trimmedInARow = 0;
        if (this.stopping) return;
        iterator = read.next;
        if (buffer.length === 0 && read.records.length > 0) windowStart = this.clock();
        buffer.push(...read.records);
        if (buffer.length === 0 && read.skippedThrough !== undefined) {
          await this.checkpoint(shardId, read.skippedThrough);
        }
        const full = buffer.length >= this.settings.batchSize;
        const windowOver = this.clock() - windowStart >= this.settings.maximumBatchingWindowMs;
        const closed = iterator === undefined;
        if (buffer.length > 0 && (full || windowOver || closed)) {
          const batch = buffer;
          buffer = [];
          const done = await this.deliver(shardId, batch, 0);
          if (!done) return;
        } else if (read.records.length === 0) {
          await this.pause(pollInterval);
        }
        if (closed) {
          this.finishedShards.add(shardId);
          return;
        }
      } catch (err) {
        if (err instanceof Killed) throw err;
        if (this.stopping) return;
        if (source.isTrimmed?.(err)) {
          // As Lambda's poller: a trimmed iterator is replaced, first from the checkpoint, and
          // when the checkpoint itself was trimmed, from the oldest record the stream holds
          // (what was trimmed is gone for every reader). DynamoDB Local also trims an iterator
          // taken at TRIM_HORIZON on an empty shard once the first record arrives: a fresh
          // iterator then reads every record, so nothing is lost and nothing is logged.
          const acquiring = iterator === undefined;
          const checkpoint = await this.checkpoints.get(shardId);
          if (acquiring && checkpoint !== undefined) {
            logger?.warn(
              { shardId, checkpoint },
              'records after the checkpoint were trimmed from the stream before they were read; resuming at the oldest record',
            );
            fromOldest = true;
          }
          iterator = undefined;
          if (++trimmedInARow > 1) await this.pause(pollInterval);
          continue;
        }
        logger?.warn({ err, shardId }, 'reading the shard failed; resuming from the checkpoint');
        iterator = undefined;
        await this.pause(pollInterval);
      }
    }
  }

  /** Runs one batch to completion; false when the poller stopped before it was done. */
  private async deliver(shardId: string, batch: ShardRecord<R>[], retriesSoFar: number): Promise<boolean> {
    const s = this.settings;
    let pending = batch;
    let retries = retriesSoFar;
    let invokeCount = 0;
    let lastError: string | undefined;
    while (pending.length > 0) {
      if (this.stopping) return false;
      if (s.maximumRecordAgeSeconds >= 0) {
        const cutoff = this.clock() - s.maximumRecordAgeSeconds * 1000;
        const expired = pending.filter((r) => r.arrivalMs < cutoff);
        if (expired.length > 0) {
          await this.discard(shardId, 'RecordAgeExceeded', expired, invokeCount, lastError);
          pending = pending.filter((r) => r.arrivalMs >= cutoff);
          await this.checkpoint(shardId, expired[expired.length - 1]!.sequenceNumber);
          continue;
        }
      }
      invokeCount++;
      this.invocations++;
      let outcome: { kind: 'ok' } | { kind: 'partial'; from: number } | { kind: 'error'; error: string };
      try {
        const response = await this.options.handler(this.options.toEvent(pending.map((r) => r.record)));
        if (this.killed) throw new Killed();
        outcome = this.interpret(response, pending);
      } catch (err) {
        if (err instanceof Killed) throw err;
        outcome = {
          kind: 'error',
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        };
      }
      if (outcome.kind === 'ok') {
        await this.checkpoint(shardId, pending[pending.length - 1]!.sequenceNumber);
        return true;
      }
      if (outcome.kind === 'partial') {
        if (outcome.from > 0) await this.checkpoint(shardId, pending[outcome.from - 1]!.sequenceNumber);
        pending = pending.slice(outcome.from);
        lastError = 'partial batch failure';
      } else {
        lastError = outcome.error;
        this.options.logger?.warn({ shardId, records: pending.length, error: outcome.error }, 'batch failed');
        if (s.bisectBatchOnFunctionError && pending.length > 1) {
          const mid = Math.ceil(pending.length / 2);
          if (!(await this.deliver(shardId, pending.slice(0, mid), retries))) return false;
          return this.deliver(shardId, pending.slice(mid), retries);
        }
      }
      retries++;
      if (s.maximumRetryAttempts >= 0 && retries > s.maximumRetryAttempts) {
        await this.discard(shardId, 'RetryAttemptsExhausted', pending, invokeCount, lastError);
        await this.checkpoint(shardId, pending[pending.length - 1]!.sequenceNumber);
        return true;
      }
      await this.pause(Math.min(retries, 10) * (this.options.retryDelayMs ?? 100));
    }
    return true;
  }

  /** Lambda's reading of a partial batch response (ReportBatchItemFailures). */
  private interpret(
    response: BatchResponse,
    pending: ShardRecord<R>[],
  ): { kind: 'ok' } | { kind: 'partial'; from: number } | { kind: 'error'; error: string } {
    const failures = response?.batchItemFailures;
    if (!this.settings.reportBatchItemFailures || failures === undefined || failures === null)
      return { kind: 'ok' };
    if (failures.length === 0) return { kind: 'ok' };
    let from = Number.POSITIVE_INFINITY;
    for (const f of failures) {
      const id = f?.itemIdentifier;
      const index =
        typeof id === 'string' && id !== '' ? pending.findIndex((r) => r.sequenceNumber === id) : -1;
      // An empty, null or unknown identifier makes Lambda treat the whole batch as failed.
      if (index < 0) return { kind: 'error', error: `invalid itemIdentifier ${JSON.stringify(id)}` };
      from = Math.min(from, index);
    }
    return { kind: 'partial', from };
  }

  private async discard(
    shardId: string,
    condition: FailureCondition,
    records: ShardRecord<R>[],
    approximateInvokeCount: number,
    functionError: string | undefined,
  ): Promise<void> {
    this.options.logger?.error(
      {
        shardId,
        condition,
        records: records.length,
        first: records[0]?.sequenceNumber,
        last: records[records.length - 1]?.sequenceNumber,
      },
      'records discarded to the on-failure destination',
    );
    const batch = {
      condition,
      shardId,
      streamArn: this.options.source.streamArn,
      functionName: this.functionName,
      approximateInvokeCount,
      records,
      ...(functionError !== undefined ? { functionError } : {}),
    };
    // A destination that cannot be written stops the shard here (no skipping without a trace).
    for (;;) {
      try {
        await this.options.onFailure?.send(batch, this.options.toEvent(records.map((r) => r.record)));
        return;
      } catch (err) {
        if (this.stopping) throw new Killed();
        this.options.logger?.error({ err, shardId }, 'on-failure destination write failed; retrying');
        await this.pause(1000);
      }
    }
  }
}
