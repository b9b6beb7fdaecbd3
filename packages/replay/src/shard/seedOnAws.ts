import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ReplayError } from '../errors';
import type { ReplayFilters } from '../objectKeys';
import {
  type ListingProgress,
  MANIFEST_PREFIX,
  manifestBucketOf,
  type RangeManifest,
  writeRangeManifest,
} from './rangeManifest';
import { mergeShardSummaries, type ShardSummary } from './seedObjects';
import type { SeedExecutionInput } from './stateMachine';

/** What `--on aws` shows while the map run goes (DescribeMapRun's item counts). */
export interface MapRunProgress {
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  running: number;
  elapsedMs: number;
}

/** A batch that failed after its retries: its objects, with the error Step Functions recorded. */
export interface FailedBatch {
  keys: string[];
  error?: string;
  cause?: string;
}

export interface SeedOnAwsResult {
  executionArn: string;
  mapRunArn?: string;
  /** The execution's final status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED). */
  status: string;
  items?: MapRunProgress;
  /** The shards' summaries merged (the batches that succeeded). */
  summary: ShardSummary;
  failed: FailedBatch[];
  /** The range's objects the map read (listed by the command line before the start). */
  manifest?: RangeManifest;
  wallMs: number;
  /** Events seeded per second of wall time. */
  eventsPerSecond: number;
  error?: string;
  cause?: string;
}

export interface SeedOnAwsOptions {
  stateMachineArn: string;
  bucket: string;
  prefix: string;
  filters: ReplayFilters;
  /** Where the range's manifest goes (default: the state machine's results bucket). */
  manifestBucket?: string;
  /** Between DescribeMapRun calls (default 5 s). */
  pollIntervalMs?: number;
}

export interface SeedOnAwsDeps {
  sfn: SFNClient;
  /** Reads the map run's results (ResultWriter's manifest and files). */
  s3: S3Client;
  onProgress?: (progress: MapRunProgress) => void;
  /** The listing of the range, before the execution starts (it takes minutes on a large trail). */
  onListing?: (progress: ListingProgress) => void;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/** The execution could not be started or followed (no such state machine, access denied, ...). */
export class SeedOnAwsError extends ReplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeedOnAwsError';
  }
}

/** One entry of a ResultWriter file (the child execution, its input and output as JSON text). */
interface ResultEntry {
  Input?: string;
  Output?: string;
  Status?: string;
  Error?: string;
  Cause?: string;
}

interface Manifest {
  DestinationBucket?: string;
  MapRunArn?: string;
  ResultFiles?: Record<string, { Key: string; Size?: number }[]>;
}

/** The execution input for the options (every field present: the BatchInput's paths need them). */
export function seedExecutionInput(
  options: SeedOnAwsOptions,
  manifest: { bucket: string; key: string },
): SeedExecutionInput {
  const f = options.filters;
  return {
    bucket: options.bucket,
    prefix: options.prefix,
    manifest: { bucket: manifest.bucket, key: manifest.key },
    from: f.from ?? null,
    to: f.to ?? null,
    accounts: f.accounts?.length ? f.accounts : null,
    regions: f.regions?.length ? f.regions : null,
  };
}

function describeError(what: string, err: unknown): SeedOnAwsError {
  const e = err as { name?: string; message?: string };
  return new SeedOnAwsError(`${what} failed (${e.name ?? 'Error'}: ${e.message ?? String(err)})`, {
    cause: err,
  });
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `npm run replay -- s3://bucket/prefix --mode seed --on aws`: starts an execution of the
 * replay's state machine (one distributed map run over the prefix's objects), reports the map
 * run's progress, then reads the results the ResultWriter left in S3 and merges the shards'
 * summaries. Batches that failed after their retries are returned with their objects. Running
 * the same range again is harmless: seed writes merge (docs/semantics.md "Sharded seed").
 */
export async function seedOnAws(options: SeedOnAwsOptions, deps: SeedOnAwsDeps): Promise<SeedOnAwsResult> {
  const clock = deps.clock ?? Date.now;
  const sleep = deps.sleep ?? sleepFor;
  const poll = options.pollIntervalMs ?? 5000;
  const started = clock();
  const name = `seed-${new Date(started).toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  // The map reads only the range's objects: listed here, written beside the results.
  const manifest = await writeRangeManifest(
    {
      bucket: options.bucket,
      prefix: options.prefix,
      filters: options.filters,
      manifestBucket: options.manifestBucket ?? (await manifestBucketOf(deps.sfn, options.stateMachineArn)),
      manifestKey: `${MANIFEST_PREFIX}/${name}.jsonl`,
    },
    { s3: deps.s3, clock, ...(deps.onListing && { onProgress: deps.onListing }) },
  );
  let executionArn: string;
  try {
    const out = await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: options.stateMachineArn,
        name,
        input: JSON.stringify(seedExecutionInput(options, manifest)),
      }),
    );
    executionArn = out.executionArn!;
  } catch (err) {
    throw describeError(`starting ${options.stateMachineArn}`, err);
  }

  let mapRunArn: string | undefined;
  let items: MapRunProgress | undefined;
  const progress = async (): Promise<void> => {
    if (mapRunArn === undefined) {
      const runs = await deps.sfn.send(new ListMapRunsCommand({ executionArn }));
      mapRunArn = runs.mapRuns?.[0]?.mapRunArn;
    }
    if (mapRunArn === undefined) return;
    const run = await deps.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    const c = run.itemCounts;
    items = {
      status: run.status ?? 'UNKNOWN',
      total: c?.total ?? 0,
      succeeded: c?.succeeded ?? 0,
      failed: (c?.failed ?? 0) + (c?.timedOut ?? 0) + (c?.aborted ?? 0),
      pending: c?.pending ?? 0,
      running: c?.running ?? 0,
      elapsedMs: clock() - started,
    };
    deps.onProgress?.(items);
  };

  let execution: Awaited<ReturnType<typeof describe>>;
  const describe = () => deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
  try {
    for (;;) {
      execution = await describe();
      await progress();
      if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') break;
      await sleep(poll);
    }
  } catch (err) {
    throw describeError(`following ${executionArn}`, err);
  }

  const shards: ShardSummary[] = [];
  const failed: FailedBatch[] = [];
  const output = execution.output
    ? (JSON.parse(execution.output) as { ResultWriterDetails?: { Bucket: string; Key: string } })
    : undefined;
  const details = output?.ResultWriterDetails;
  if (details) {
    const read = async (bucket: string, key: string): Promise<unknown> => {
      try {
        const out = await deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return JSON.parse(await out.Body!.transformToString());
      } catch (err) {
        throw describeError(`reading the map run's results s3://${bucket}/${key}`, err);
      }
    };
    const manifest = (await read(details.Bucket, details.Key)) as Manifest;
    const bucket = manifest.DestinationBucket ?? details.Bucket;
    for (const file of manifest.ResultFiles?.SUCCEEDED ?? []) {
      for (const entry of (await read(bucket, file.Key)) as ResultEntry[]) {
        if (entry.Output !== undefined) shards.push(JSON.parse(entry.Output) as ShardSummary);
      }
    }
    for (const status of ['FAILED', 'PENDING'] as const) {
      for (const file of manifest.ResultFiles?.[status] ?? []) {
        for (const entry of (await read(bucket, file.Key)) as ResultEntry[]) {
          const input = entry.Input ? (JSON.parse(entry.Input) as { Items?: { Key: string }[] }) : {};
          const batch: FailedBatch = { keys: (input.Items ?? []).map((i) => i.Key) };
          const error = entry.Error ?? (status === 'PENDING' ? 'not run' : undefined);
          if (error !== undefined) batch.error = error;
          if (entry.Cause !== undefined) batch.cause = entry.Cause;
          failed.push(batch);
        }
      }
    }
  }
  const summary = mergeShardSummaries(shards);
  const wallMs = clock() - started;
  const result: SeedOnAwsResult = {
    executionArn,
    status: execution.status ?? 'UNKNOWN',
    summary,
    failed,
    manifest,
    wallMs,
    eventsPerSecond: wallMs > 0 ? Math.round((summary.events / wallMs) * 1000) : 0,
  };
  if (mapRunArn !== undefined) result.mapRunArn = mapRunArn;
  if (items !== undefined) result.items = items;
  if (execution.error !== undefined) result.error = execution.error;
  if (execution.cause !== undefined) result.cause = execution.cause;
  return result;
}

/** One progress line: items done of total, failed, running, elapsed. */
export function formatMapRunProgress(p: MapRunProgress): string {
  const done = p.succeeded + p.failed;
  const pct = p.total > 0 ? Math.floor((done / p.total) * 100) : 0;
  return `map run ${p.status}: ${done}/${p.total} objects (${pct}%), ${p.failed} failed, ${p.running} running, ${Math.round(p.elapsedMs / 1000)} s`;
}
