import type { S3Client } from '@aws-sdk/client-s3';
import { type BaselineStore, type Config, environmentReader } from '@firstseen/core';
import { ReplayError } from '../errors';
import { keyMayMatch, parseObjectKey, type ReplayFilters } from '../objectKeys';
import { runReplay } from '../runReplay';
import { seedSink } from '../seedSink';
import { isReplayableS3Key, type ObjectSource, type ReplayObject, S3ObjectSource } from '../sources';
import type { BadObject } from '../summary';
import { WriteRateGuard } from '../writeRateGuard';
import { ShardSummaryTotal } from './ShardSummaryTotal';

/** One item of a distributed map's S3 ListObjectsV2 reader (after the ItemSelector: Key and Size). */
export interface ShardItem {
  Key: string;
  Size?: number;
}

/** What every batch carries (the ItemBatcher's BatchInput): where the objects are and the range. */
export interface ShardBatchInput {
  bucket: string;
  /** eventTime range in epoch ms, `to` exclusive (`--from`, `--to`). */
  from?: number;
  to?: number;
  accounts?: string[];
  regions?: string[];
}

/** A batch of a distributed map with an ItemBatcher: `{ Items, BatchInput }`. */
export interface ShardInput {
  Items: ShardItem[];
  BatchInput: ShardBatchInput;
}

/** What one replay-shard invocation did; small (Step Functions keeps each child's output, 256 KiB). */
export interface ShardSummary {
  /** Items in the batch. */
  objects: number;
  /** Items not read: outside the range by their key's date, or not a CloudTrail data file. */
  skipped: number;
  /** Objects read and decoded. */
  files: number;
  records: number;
  /** Events the seed learnt from. */
  events: number;
  ignored: number;
  invalid: number;
  filtered: number;
  keysWritten: number;
  principalsWritten: number;
  /** Writes DynamoDB throttled that were retried after a backoff. */
  throttledWrites: number;
  /** Objects that could not be read or parsed (key and reason). */
  errors: BadObject[];
  firstEventTime?: string;
  lastEventTime?: string;
  durationMs: number;
}

/** The event a replay-shard invocation received is not a batch it can seed. */
export class ShardInputError extends ReplayError {
  constructor(message: string) {
    super(message);
    this.name = 'ShardInputError';
  }
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Checks a batch (throws ShardInputError, one line naming the field). */
export function parseShardInput(event: unknown): ShardInput {
  const e = event as { Items?: unknown; BatchInput?: unknown } | null;
  if (typeof e !== 'object' || e === null)
    throw new ShardInputError('replay-shard: the input is not an object');
  if (!Array.isArray(e.Items)) throw new ShardInputError('replay-shard: Items must be an array');
  const items: ShardItem[] = e.Items.map((item: unknown, i: number) => {
    const it = item as { Key?: unknown; Size?: unknown } | null;
    if (typeof it?.Key !== 'string' || it.Key === '')
      throw new ShardInputError(`replay-shard: Items[${i}].Key must be a non-empty string`);
    return typeof it.Size === 'number' ? { Key: it.Key, Size: it.Size } : { Key: it.Key };
  });
  const b = e.BatchInput as Record<string, unknown> | undefined;
  if (typeof b !== 'object' || b === null)
    throw new ShardInputError('replay-shard: BatchInput must be an object');
  if (typeof b.bucket !== 'string' || b.bucket === '')
    throw new ShardInputError('replay-shard: BatchInput.bucket must be a bucket name');
  const batch: ShardBatchInput = { bucket: b.bucket };
  for (const k of ['from', 'to'] as const) {
    const v = b[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new ShardInputError(`replay-shard: BatchInput.${k} must be epoch milliseconds`);
    batch[k] = v;
  }
  for (const k of ['accounts', 'regions'] as const) {
    const v = b[k];
    if (v === undefined || v === null) continue;
    if (!isStringList(v))
      throw new ShardInputError(`replay-shard: BatchInput.${k} must be a list of strings`);
    if (v.length > 0) batch[k] = v;
  }
  return { Items: items, BatchInput: batch };
}

/** The batch's objects as a replay source (read with GetObject; never listed again). */
class BatchSource implements ObjectSource {
  readonly description: string;
  private readonly reader: S3ObjectSource;
  constructor(
    client: S3Client,
    bucket: string,
    private readonly objects: ReplayObject[],
  ) {
    this.reader = new S3ObjectSource(client, bucket, '');
    this.description = `s3://${bucket} (${objects.length} objects)`;
  }
  async list(): Promise<ReplayObject[]> {
    return this.objects;
  }
  read(object: ReplayObject): Promise<Uint8Array> {
    return this.reader.read(object);
  }
}

export interface SeedObjectsDeps {
  config: Config;
  s3: S3Client;
  /** The live baseline (DynamoBaselineStore). */
  target: BaselineStore;
  /** This invocation's share of the table's write capacity (see WriteRateGuard); unset = unlimited. */
  writesPerSecond?: number;
  /** Objects fetched in parallel, and writes in flight (default 16). */
  concurrency?: number;
  clock?: () => number;
}

/**
 * Seeds the baseline from one batch of trail objects: the same replay and seed mode as
 * `npm run replay -- --mode seed`, restricted to the batch's keys, writing each key once with
 * `seedKey`'s merge (docs/semantics.md "Sharded seed"), so batches may run in any order,
 * concurrently, be retried or overlap. Objects outside the range by their key are not read.
 * Throws when a write fails after the guard's retries (the state machine retries the batch).
 */
export async function seedObjects(input: ShardInput, deps: SeedObjectsDeps): Promise<ShardSummary> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const b = input.BatchInput;
  const filters: ReplayFilters = {};
  if (b.from !== undefined) filters.from = b.from;
  if (b.to !== undefined) filters.to = b.to;
  if (b.accounts) filters.accounts = b.accounts;
  if (b.regions) filters.regions = b.regions;
  const objects: ReplayObject[] = [];
  for (const item of input.Items) {
    if (!isReplayableS3Key(item.Key)) continue;
    const key = parseObjectKey(item.Key);
    if (!keyMayMatch(key, filters)) continue;
    objects.push(
      item.Size === undefined
        ? { key: item.Key, delivery: key.delivery }
        : { key: item.Key, delivery: key.delivery, size: item.Size },
    );
  }
  const guard =
    deps.writesPerSecond === undefined
      ? undefined
      : new WriteRateGuard({ writesPerSecond: deps.writesPerSecond });
  const concurrency = deps.concurrency ?? 16;
  const summary = await runReplay(
    { config: deps.config, filters, concurrency },
    {
      source: new BatchSource(deps.s3, b.bucket, objects),
      sink: seedSink({ config: deps.config, target: deps.target, concurrency, ...(guard && { guard }) }),
    },
  );
  const shard: ShardSummary = {
    objects: input.Items.length,
    skipped: input.Items.length - objects.length,
    files: summary.files,
    records: summary.records,
    events: summary.observed,
    ignored: summary.ignored,
    invalid: summary.invalid,
    filtered: summary.filtered,
    keysWritten: summary.seed?.keysWritten ?? 0,
    principalsWritten: summary.seed?.principalsWritten ?? 0,
    throttledWrites: guard?.throttled ?? 0,
    errors: summary.badFiles,
    durationMs: clock() - started,
  };
  if (summary.firstEventTime !== undefined) shard.firstEventTime = summary.firstEventTime;
  if (summary.lastEventTime !== undefined) shard.lastEventTime = summary.lastEventTime;
  return shard;
}

/** The sum of shard summaries (the parent's view of a map run); durationMs is the shards' total. */
export function mergeShardSummaries(shards: readonly ShardSummary[]): ShardSummary {
  const total = new ShardSummaryTotal();
  for (const s of shards) total.add(s);
  return total.summary;
}

export interface ShardEnvironment {
  baselineTable: string;
  configPath?: string;
  /** This function's share of the table's write capacity: the configured rate / the map's concurrency. */
  writesPerSecond?: number;
}

/**
 * The replay-shard function's environment: FIRSTSEEN_BASELINE_TABLE (required),
 * FIRSTSEEN_CONFIG_PATH (optional), FIRSTSEEN_SEED_WRITES_PER_SECOND (optional, positive).
 * Throws ConfigError naming every bad variable.
 */
export function readShardEnvironment(env: Record<string, string | undefined>): ShardEnvironment {
  const reader = environmentReader(env);
  const baselineTable = reader.required('FIRSTSEEN_BASELINE_TABLE');
  const configPath = reader.optional('FIRSTSEEN_CONFIG_PATH');
  const rate =
    reader.optional('FIRSTSEEN_SEED_WRITES_PER_SECOND') === undefined
      ? undefined
      : reader.positiveNumber('FIRSTSEEN_SEED_WRITES_PER_SECOND', 1);
  reader.finish('replay-shard');
  const out: ShardEnvironment = { baselineTable };
  if (configPath !== undefined) out.configPath = configPath;
  if (rate !== undefined) out.writesPerSecond = rate;
  return out;
}
