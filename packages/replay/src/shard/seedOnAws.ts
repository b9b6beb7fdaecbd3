import type { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeMapRunCommand,
  DescribeStateMachineForExecutionCommand,
  ListExecutionsCommand,
  type ListExecutionsCommandOutput,
  ListMapRunsCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { SeedOnAwsError, seedOnAwsError } from '../errors';
import type { ReplayFilters } from '../objectKeys';
import {
  type FailedBatch,
  type MapRunResults,
  manifestLocation,
  type ResultLocation,
  readMapRunResults,
} from './mapRunResults';
import {
  type ListingProgress,
  MANIFEST_PREFIX,
  manifestBucketOf,
  type RangeManifest,
  writeRangeManifest,
} from './rangeManifest';
import { ShardSummaryTotal } from './ShardSummaryTotal';
import type { ShardSummary } from './seedObjects';
import type { SeedExecutionInput } from './stateMachine';

export { SeedOnAwsError } from '../errors';
export type { FailedBatch } from './mapRunResults';

/** What `--on aws` shows while the map run goes (DescribeMapRun's item counts: trail objects). */
export interface MapRunProgress {
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  running: number;
  elapsedMs: number;
  /**
   * Events seeded per second of wall time so far, estimated: objects succeeded x events per
   * object of the finished batches sampled (their outputs), / elapsed seconds. Absent until a
   * batch has been sampled.
   */
  eventsPerSecond?: number;
  /** Finished batches whose summaries the estimate comes from. */
  sampledBatches: number;
}

export interface SeedOnAwsResult {
  executionArn: string;
  mapRunArn?: string;
  /** The execution's final status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED). */
  status: string;
  items?: MapRunProgress;
  /** The shards' summaries merged (the batches that succeeded, whatever the execution's outcome). */
  summary: ShardSummary;
  /** Bad objects beyond those in summary.errors, counted only. */
  errorsNotListed: number;
  /** The first failed (or never run) batches, at most `failedLimit`. */
  failed: FailedBatch[];
  /** Every failed or never run batch. */
  failedCount: number;
  /** The ResultWriter's FAILED_ and PENDING_ files, which list them all. */
  failedFiles: string[];
  /** `s3://` of the map run's manifest.json, when the run wrote one. */
  manifest?: string;
  /** The range's objects the map read (listed by the command line before the start). */
  rangeManifest?: RangeManifest;
  /** Why the results could not be read (an execution that did not succeed). */
  resultsError?: string;
  wallMs: number;
  /** Events seeded per second of wall time (the shards' events / the command's wall time). */
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
  /** Failed batches (and bad objects) listed; the rest are counted (default 1,000). */
  failedLimit?: number;
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

/** Finished batches sampled per poll for the events/s estimate (one ListExecutions page). */
const SAMPLED_PER_POLL = 5;

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

/**
 * Refuses to start a seed while an execution of the same state machine is RUNNING: each run's
 * shards take the whole write share (the shard function's reserved concurrency caps the
 * invocations, but a second run would still slow the first and contend for the same keys), and
 * "run the same command again" must not start a second run beside a first one still going.
 */
async function refuseWhileRunning(sfn: SFNClient, stateMachineArn: string): Promise<void> {
  let running: ListExecutionsCommandOutput;
  try {
    running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 10 }),
    );
  } catch (err) {
    throw seedOnAwsError(`listing the running executions of ${stateMachineArn}`, err);
  }
  const executions = running.executions ?? [];
  const first = executions[0];
  if (first === undefined) return;
  const others = executions.length - 1;
  const more = others > 0 || running.nextToken ? ` (and ${others}${running.nextToken ? '+' : ''} more)` : '';
  const since = first.startDate ? ` since ${first.startDate.toISOString()}` : '';
  throw new SeedOnAwsError(
    `execution ${first.name} of ${stateMachineArn} is still RUNNING${since}${more}: wait for it to end, or stop it with \`aws stepfunctions stop-execution --execution-arn ${first.executionArn}\`, then run the command again`,
  );
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `npm run replay -- s3://bucket/prefix --mode seed --on aws`: starts an execution of the
 * replay's state machine (one distributed map run over the prefix's objects), reports the map
 * run's progress, then reads the results the ResultWriter left in S3, whatever the outcome:
 * the shards that succeeded are merged into one summary as their files stream by, the batches
 * that failed after their retries (or never ran) are returned with their objects, the first
 * `failedLimit` of them. Running the same range again is harmless: seed writes merge
 * (docs/semantics.md "Sharded seed").
 */
export async function seedOnAws(options: SeedOnAwsOptions, deps: SeedOnAwsDeps): Promise<SeedOnAwsResult> {
  const clock = deps.clock ?? Date.now;
  const sleep = deps.sleep ?? sleepFor;
  const poll = options.pollIntervalMs ?? 5000;
  const started = clock();
  // Before the listing: a second run beside a running one is refused at once.
  await refuseWhileRunning(deps.sfn, options.stateMachineArn);
  const name = `seed-${new Date(started).toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  // The map reads only the range's objects: listed here, written beside the results.
  const rangeManifest = await writeRangeManifest(
    {
      bucket: options.bucket,
      prefix: options.prefix,
      filters: options.filters,
      manifestBucket: options.manifestBucket ?? (await manifestBucketOf(deps.sfn, options.stateMachineArn)),
      manifestKey: `${MANIFEST_PREFIX}/${name}.jsonl`,
    },
    // Its own clock: the listing's elapsed time is its own line's.
    { s3: deps.s3, ...(deps.onListing && { onProgress: deps.onListing }) },
  );
  let executionArn: string;
  try {
    const out = await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: options.stateMachineArn,
        name,
        input: JSON.stringify(seedExecutionInput(options, rangeManifest)),
      }),
    );
    executionArn = out.executionArn!;
  } catch (err) {
    throw seedOnAwsError(`starting ${options.stateMachineArn}`, err);
  }

  let mapRunArn: string | undefined;
  let items: MapRunProgress | undefined;
  const findMapRun = async (): Promise<void> => {
    if (mapRunArn !== undefined) return;
    const runs = await deps.sfn.send(new ListMapRunsCommand({ executionArn }));
    mapRunArn = runs.mapRuns?.[0]?.mapRunArn;
  };
  const sample = new BatchSample(deps.sfn);
  const progress = async (): Promise<void> => {
    await findMapRun();
    if (mapRunArn === undefined) return;
    const run = await deps.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    const c = run.itemCounts;
    if ((c?.succeeded ?? 0) > 0) await sample.take(mapRunArn);
    const elapsedMs = clock() - started;
    const succeeded = c?.succeeded ?? 0;
    items = {
      status: run.status ?? 'UNKNOWN',
      total: c?.total ?? 0,
      succeeded,
      failed: (c?.failed ?? 0) + (c?.timedOut ?? 0) + (c?.aborted ?? 0),
      pending: c?.pending ?? 0,
      running: c?.running ?? 0,
      elapsedMs,
      sampledBatches: sample.batches,
    };
    const rate = sample.eventsPerSecond(succeeded, elapsedMs);
    if (rate !== undefined) items.eventsPerSecond = rate;
    deps.onProgress?.(items);
  };

  let execution: DescribeExecutionCommandOutput;
  const describe = () => deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
  try {
    for (;;) {
      execution = await describe();
      await progress();
      if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') break;
      await sleep(poll);
    }
  } catch (err) {
    throw seedOnAwsError(`following ${executionArn}`, err);
  }

  // Step Functions returns the output (with ResultWriterDetails) only for a SUCCEEDED execution;
  // a failed one (more failed objects than tolerated, say) still wrote its results.
  const succeeded = execution.status === 'SUCCEEDED';
  let results: MapRunResults | undefined;
  let resultsError: string | undefined;
  if (mapRunArn !== undefined) {
    try {
      const location = writtenTo(execution.output) ?? (await locate(deps.sfn, executionArn, mapRunArn));
      results = await readMapRunResults(
        deps.s3,
        location,
        options.failedLimit === undefined ? {} : { failedLimit: options.failedLimit },
      );
    } catch (err) {
      if (succeeded) throw err;
      resultsError = (err as Error).message;
    }
  }
  const summary = results?.summary ?? new ShardSummaryTotal().summary;
  const wallMs = clock() - started;
  const result: SeedOnAwsResult = {
    executionArn,
    status: execution.status ?? 'UNKNOWN',
    summary,
    errorsNotListed: results?.errorsNotListed ?? 0,
    failed: results?.failed ?? [],
    failedCount: results?.failedCount ?? 0,
    failedFiles: results?.failedFiles ?? [],
    rangeManifest,
    wallMs,
    eventsPerSecond: wallMs > 0 ? Math.round((summary.events / wallMs) * 1000) : 0,
  };
  if (results !== undefined) result.manifest = results.manifest;
  if (resultsError !== undefined) result.resultsError = resultsError;
  if (mapRunArn !== undefined) result.mapRunArn = mapRunArn;
  if (items !== undefined) result.items = items;
  if (execution.error !== undefined) result.error = execution.error;
  if (execution.cause !== undefined) result.cause = execution.cause;
  return result;
}

/** The manifest named by a SUCCEEDED execution's output (`{MapRunArn, ResultWriterDetails}`). */
function writtenTo(output: string | undefined): ResultLocation | undefined {
  if (output === undefined) return undefined;
  try {
    const details = (JSON.parse(output) as { ResultWriterDetails?: { Bucket?: unknown; Key?: unknown } })
      .ResultWriterDetails;
    if (typeof details?.Bucket === 'string' && typeof details.Key === 'string')
      return { bucket: details.Bucket, manifestKey: details.Key };
  } catch {
    // Not the map's output: fall back to the definition.
  }
  return undefined;
}

/** The manifest's place from the definition this execution ran (the deployment's results bucket). */
async function locate(sfn: SFNClient, executionArn: string, mapRunArn: string): Promise<ResultLocation> {
  let definition: string | undefined;
  try {
    definition = (await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).definition;
  } catch (err) {
    throw seedOnAwsError(`reading the definition ${executionArn} ran`, err);
  }
  const location = definition === undefined ? undefined : manifestLocation(definition, mapRunArn);
  if (location === undefined)
    throw seedOnAwsError(
      `finding ${mapRunArn}'s results`,
      new Error('the definition has no ResultWriter bucket'),
    );
  return location;
}

/**
 * The events/s estimate while the map run goes: the result files appear only at its end, so the
 * newest finished batches (ListExecutions of the map run, DescribeExecution of each new one: its
 * output is the shard summary) give events per object, which times the objects done over the
 * elapsed time is the rate. Costs one ListExecutions and at most SAMPLED_PER_POLL
 * DescribeExecution calls per poll; a refused call (no permission) only drops the estimate.
 */
class BatchSample {
  batches = 0;
  private events = 0;
  private objects = 0;
  private seen = new Set<string>();
  private off = false;

  constructor(private readonly sfn: SFNClient) {}

  async take(mapRunArn: string): Promise<void> {
    if (this.off) return;
    try {
      const page = await this.sfn.send(
        new ListExecutionsCommand({ mapRunArn, statusFilter: 'SUCCEEDED', maxResults: SAMPLED_PER_POLL }),
      );
      const arns = (page.executions ?? []).map((e) => e.executionArn).filter((a): a is string => !!a);
      for (const executionArn of arns) {
        if (this.seen.has(executionArn)) continue;
        const child = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
        const shard = child.output ? (JSON.parse(child.output) as Partial<ShardSummary>) : {};
        if (typeof shard.events === 'number' && typeof shard.objects === 'number' && shard.objects > 0) {
          this.events += shard.events;
          this.objects += shard.objects;
          this.batches++;
        }
      }
      // Newest first: a batch that left this page does not come back, so this page is all to remember.
      this.seen = new Set(arns);
    } catch {
      this.off = true;
    }
  }

  eventsPerSecond(objectsDone: number, elapsedMs: number): number | undefined {
    if (this.objects === 0 || elapsedMs <= 0) return undefined;
    return Math.round(((objectsDone * this.events) / this.objects / elapsedMs) * 1000);
  }
}

const count = new Intl.NumberFormat('en-US');

/** One progress line: objects done of total, failed, running, the events/s estimate, elapsed. */
export function formatMapRunProgress(p: MapRunProgress): string {
  const done = p.succeeded + p.failed;
  const pct = p.total > 0 ? Math.floor((done / p.total) * 100) : 0;
  const rate =
    p.eventsPerSecond === undefined
      ? ''
      : `, ~${count.format(p.eventsPerSecond)} events/s (est. from ${p.sampledBatches} batch${p.sampledBatches === 1 ? '' : 'es'})`;
  return `map run ${p.status}: ${done}/${p.total} objects (${pct}%), ${p.failed} failed, ${p.running} running${rate}, ${Math.round(p.elapsedMs / 1000)} s`;
}
