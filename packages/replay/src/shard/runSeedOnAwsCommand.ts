import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { ReplayArgumentError } from '../errors';
import type { ReplayArgs } from '../parseReplayArgs';
import { parseSourceSpec } from '../sources';
import { formatListingProgress } from './rangeManifest';
import { type FailedBatch, formatMapRunProgress, type SeedOnAwsResult, seedOnAws } from './seedOnAws';

export interface SeedOnAwsCommandDeps {
  sfn: SFNClient;
  s3: S3Client;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
  /** Failed batches listed on stderr (default 1,000); the rest are counted. */
  failedLimit?: number;
}

export const STATE_MACHINE_ARN_VARIABLE = 'FIRSTSEEN_REPLAY_STATE_MACHINE_ARN';

/** Exit codes: 0 all seeded; 1 batches failed, objects bad or the execution failed; 2 nothing to seed. */
const EXIT_NOTHING_TO_SEED = 2;

const MAX_REASON = 400;

/** A Step Functions error text on one line (a Lambda cause is JSON: its errorType and errorMessage). */
function oneLine(text: string): string {
  let t = text;
  try {
    const c = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof c.errorMessage === 'string')
      t = typeof c.errorType === 'string' ? `${c.errorType}: ${c.errorMessage}` : c.errorMessage;
  } catch {
    // Plain text.
  }
  t = t.replace(/\s+/g, ' ').trim();
  return t.length > MAX_REASON ? `${t.slice(0, MAX_REASON)}...` : t;
}

const reason = (error?: string, cause?: string) =>
  [error, cause]
    .filter((x): x is string => x !== undefined && x !== '')
    .map(oneLine)
    .join(': ');

function batchLine(batch: FailedBatch): string {
  const why = reason(batch.error, batch.cause) || 'no error recorded';
  const what = batch.status === 'PENDING' ? 'batch not run' : 'batch failed';
  return `replay: ${what} (${why}): ${batch.keys.join(' ')}\n`;
}

/** The one line saying why the command exits non-zero (undefined: it exits 0). */
function verdict(args: ReplayArgs, result: SeedOnAwsResult): { code: number; line: string } | undefined {
  const where = args.source;
  if (result.status !== 'SUCCEEDED') {
    const why = reason(result.error, result.cause);
    const items = result.items;
    const counts = items
      ? ` after ${items.succeeded + items.failed}/${items.total} objects, ${items.failed} failed`
      : '';
    return {
      code: 1,
      line: `execution ${result.status}${why ? `: ${why}` : ''}${counts} (${result.executionArn})`,
    };
  }
  if (result.failedCount > 0)
    return { code: 1, line: `${result.failedCount} batch(es) failed after their retries (see above)` };
  const bad = result.summary.errors.length + result.errorsNotListed;
  if (bad > 0 && !args.skipBad)
    return { code: 1, line: `${bad} object(s) could not be read (--skip-bad to accept)` };
  if ((result.items?.total ?? result.summary.objects) === 0)
    return { code: EXIT_NOTHING_TO_SEED, line: `no objects under ${where}: nothing seeded` };
  if (result.summary.files === 0 && bad === 0)
    return {
      code: EXIT_NOTHING_TO_SEED,
      line: `none of the ${result.summary.objects} object(s) under ${where} is a trail file in the range and filters given: nothing seeded`,
    };
  return undefined;
}

/**
 * `npm run replay -- s3://bucket/prefix --mode seed --on aws [--from --to ...]`: starts the
 * deployed state machine, prints the map run's progress on stderr, the summary merged from the
 * shards that succeeded as JSON on stdout, then each failed batch's objects, error and cause on
 * stderr (the first 1,000; the FAILED_ files named hold them all), and last one line saying why
 * it exits non-zero. Exit 0 when every batch succeeded (and no object was bad, unless
 * --skip-bad); 1 when a batch failed, an object was bad or the execution failed; 2 when the
 * prefix and range select no object (nothing seeded: most likely a wrong prefix or dates).
 */
export async function runSeedOnAwsCommand(args: ReplayArgs, deps: SeedOnAwsCommandDeps): Promise<number> {
  const stateMachineArn = args.stateMachineArn ?? deps.env[STATE_MACHINE_ARN_VARIABLE]?.trim();
  if (!stateMachineArn)
    throw new ReplayArgumentError(
      `--on aws needs --state-machine-arn ARN or ${STATE_MACHINE_ARN_VARIABLE} (the stack output replayStateMachineArn)`,
    );
  const spec = parseSourceSpec(args.source);
  if (spec.kind !== 's3') throw new ReplayArgumentError('--on aws needs an s3://bucket/prefix source');
  let last = '';
  const result = await seedOnAws(
    {
      stateMachineArn,
      bucket: spec.bucket,
      prefix: spec.prefix,
      filters: args.filters,
      ...(deps.pollIntervalMs !== undefined && { pollIntervalMs: deps.pollIntervalMs }),
      ...(deps.failedLimit !== undefined && { failedLimit: deps.failedLimit }),
    },
    {
      sfn: deps.sfn,
      s3: deps.s3,
      ...(deps.sleep && { sleep: deps.sleep }),
      ...(deps.clock && { clock: deps.clock }),
      onListing: (p) => deps.stderr.write(`replay: ${formatListingProgress(p)}\n`),
      onProgress: (p) => {
        const line = formatMapRunProgress(p);
        if (line !== last) deps.stderr.write(`replay: ${line}\n`);
        last = line;
      },
    },
  );
  const out = {
    mode: 'seed',
    on: 'aws',
    source: args.source,
    executionArn: result.executionArn,
    mapRunArn: result.mapRunArn,
    status: result.status,
    items: result.items && {
      total: result.items.total,
      succeeded: result.items.succeeded,
      failed: result.items.failed,
    },
    objectsListed: result.rangeManifest?.listed,
    objectsInRange: result.rangeManifest?.objects,
    results: result.manifest,
    failedBatches: result.failedCount,
    failedResults: result.failedFiles,
    wallSeconds: Math.round(result.wallMs / 1000),
    eventsPerSecond: result.eventsPerSecond,
    ...result.summary,
    errorsNotListed: result.errorsNotListed,
  };
  deps.stdout.write(`${JSON.stringify(out, null, 2)}\n`);

  for (const batch of result.failed) deps.stderr.write(batchLine(batch));
  const unlisted = result.failedCount - result.failed.length;
  if (unlisted > 0)
    deps.stderr.write(
      `replay: ${unlisted} more failed batch(es) not listed; all are in ${result.failedFiles.join(' ')}\n`,
    );
  for (const bad of result.summary.errors) deps.stderr.write(`replay: skipped ${bad.key}: ${bad.reason}\n`);
  if (result.errorsNotListed > 0)
    deps.stderr.write(
      `replay: ${result.errorsNotListed} more bad object(s) not listed; each is in its shard's output in ${result.manifest}'s SUCCEEDED files\n`,
    );
  if (result.resultsError !== undefined)
    deps.stderr.write(`replay: no results to report: ${oneLine(result.resultsError)}\n`);
  const v = verdict(args, result);
  if (v === undefined) return 0;
  deps.stderr.write(`replay: ${v.line}\n`);
  return v.code;
}
