import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { seedOnAwsError } from '../errors';
import { jsonElements } from './jsonElements';
import { ShardSummaryTotal } from './ShardSummaryTotal';
import type { ShardSummary } from './seedObjects';
import { resultWriterOf } from './stateMachine';

/**
 * Reading what a distributed map run's ResultWriter left in S3. For each run it writes, under
 * `<Prefix>/<map run id>/`, a `manifest.json` naming its result files by status, and the files:
 * `SUCCEEDED_<n>.json`, `FAILED_<n>.json` (failed, timed out and aborted children) and
 * `PENDING_<n>.json` (children never started because the run failed or was aborted), each a JSON
 * array of the child executions (Input and Output as JSON text, Status, Error, Cause), up to 5 GB
 * a file. It does so whether the run succeeded or failed; only a SUCCEEDED execution's output
 * says where (ResultWriterDetails), so the location is also derived from the definition the
 * execution ran and the map run's id.
 */

/** Where a map run's manifest is. */
export interface ResultLocation {
  bucket: string;
  manifestKey: string;
}

/** A batch that failed after its retries (or never ran): its objects, with the error Step Functions recorded. */
export interface FailedBatch {
  keys: string[];
  status: 'FAILED' | 'PENDING';
  error?: string;
  cause?: string;
}

export interface MapRunResults {
  /** `s3://bucket/key` of the manifest. */
  manifest: string;
  /** The summaries of the shards that succeeded, added up as they were read. */
  summary: ShardSummary;
  /** Shards (batches) that succeeded. */
  shards: number;
  /** Bad objects beyond the listed ones (summary.errors), counted only. */
  errorsNotListed: number;
  /** The first `failedLimit` failed or pending batches. */
  failed: FailedBatch[];
  /** All failed or pending batches (listed or not). */
  failedCount: number;
  /** `s3://` of every FAILED_ and PENDING_ file: the full list of failed batches. */
  failedFiles: string[];
}

/** Failed batches and bad objects listed by default; the rest are counted (the files hold them all). */
const DEFAULT_LISTED_FAILURES = 1000;

/** One entry of a result file (the child execution, its input and output as JSON text). */
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
  ResultFiles?: Partial<Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size?: number }[]>>;
}

/**
 * The manifest's location from the definition an execution ran (its map state's ResultWriter
 * Parameters) and the map run's ARN, whose last `:` field is the id the ResultWriter puts in the
 * key; undefined when the definition has no ResultWriter with a fixed bucket.
 */
export function manifestLocation(definition: string, mapRunArn: string): ResultLocation | undefined {
  const writer = resultWriterOf(definition);
  if (writer === undefined) return undefined;
  const { bucket, prefix } = writer;
  const id = mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1);
  const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return { bucket, manifestKey: `${folder}${id}/manifest.json` };
}

async function open(s3: S3Client, bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body as unknown as AsyncIterable<Uint8Array>;
  } catch (err) {
    throw seedOnAwsError(`reading the map run's results s3://${bucket}/${key}`, err);
  }
}

/** The entries of one result file, one at a time (the file is never held whole). */
async function* entries(s3: S3Client, bucket: string, key: string): AsyncGenerator<ResultEntry> {
  try {
    for await (const value of jsonElements(await open(s3, bucket, key))) yield value as ResultEntry;
  } catch (err) {
    if ((err as { name?: string }).name === 'SeedOnAwsError') throw err;
    throw seedOnAwsError(`reading the map run's results s3://${bucket}/${key}`, err);
  }
}

function failedBatch(entry: ResultEntry, status: FailedBatch['status']): FailedBatch {
  let keys: string[] = [];
  try {
    const input = entry.Input ? (JSON.parse(entry.Input) as { Items?: { Key?: unknown }[] }) : {};
    keys = (input.Items ?? []).map((i) => String(i.Key));
  } catch {
    // An input Step Functions could not include whole; the batch is still listed, without keys.
  }
  const batch: FailedBatch = { keys, status };
  const error = entry.Error ?? (status === 'PENDING' ? 'not run' : undefined);
  if (error !== undefined) batch.error = error;
  if (entry.Cause !== undefined) batch.cause = entry.Cause;
  return batch;
}

/**
 * Reads a map run's results: streams every SUCCEEDED file, adding each shard's summary to a
 * running total as it is read, then the FAILED and PENDING files, keeping the first `failedLimit`
 * batches (and as many bad objects) and counting the rest. Memory stays that of one entry and
 * the bounded lists, whatever the number of shards.
 */
export async function readMapRunResults(
  s3: S3Client,
  location: ResultLocation,
  options: { failedLimit?: number } = {},
): Promise<MapRunResults> {
  const limit = options.failedLimit ?? DEFAULT_LISTED_FAILURES;
  let manifest: Manifest;
  const manifestUri = `s3://${location.bucket}/${location.manifestKey}`;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await open(s3, location.bucket, location.manifestKey))
      chunks.push(Buffer.from(chunk));
    manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Manifest;
  } catch (err) {
    if ((err as { name?: string }).name === 'SeedOnAwsError') throw err;
    throw seedOnAwsError(`reading the map run's manifest ${manifestUri}`, err);
  }
  const bucket = manifest.DestinationBucket ?? location.bucket;
  const total = new ShardSummaryTotal({ errorLimit: limit });
  for (const file of manifest.ResultFiles?.SUCCEEDED ?? []) {
    for await (const entry of entries(s3, bucket, file.Key)) {
      if (entry.Output !== undefined) total.add(JSON.parse(entry.Output) as ShardSummary);
    }
  }
  const failed: FailedBatch[] = [];
  let failedCount = 0;
  const failedFiles: string[] = [];
  for (const status of ['FAILED', 'PENDING'] as const) {
    for (const file of manifest.ResultFiles?.[status] ?? []) {
      failedFiles.push(`s3://${bucket}/${file.Key}`);
      for await (const entry of entries(s3, bucket, file.Key)) {
        failedCount++;
        if (failed.length < limit) failed.push(failedBatch(entry, status));
      }
    }
  }
  return {
    manifest: manifestUri,
    summary: total.summary,
    shards: total.shards,
    errorsNotListed: total.errorsNotListed,
    failed,
    failedCount,
    failedFiles,
  };
}
