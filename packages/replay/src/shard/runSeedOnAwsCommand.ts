import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { ReplayArgumentError } from '../errors';
import type { ReplayArgs } from '../parseReplayArgs';
import { parseSourceSpec } from '../sources';
import { formatListingProgress } from './rangeManifest';
import { formatMapRunProgress, seedOnAws } from './seedOnAws';

export interface SeedOnAwsCommandDeps {
  sfn: SFNClient;
  s3: S3Client;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const STATE_MACHINE_ARN_VARIABLE = 'FIRSTSEEN_REPLAY_STATE_MACHINE_ARN';

/**
 * `npm run replay -- s3://bucket/prefix --mode seed --on aws [--from --to ...]`: starts the
 * deployed state machine, prints the map run's progress on stderr, the merged summary as JSON on
 * stdout and each failed batch's objects on stderr. Exit 0 when every batch succeeded (and no
 * object was bad, unless --skip-bad), else 1.
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
    },
    {
      sfn: deps.sfn,
      s3: deps.s3,
      ...(deps.sleep && { sleep: deps.sleep }),
      onListing: (p) => deps.stderr.write(`replay: ${formatListingProgress(p)}\n`),
      onProgress: (p) => {
        const line = formatMapRunProgress(p);
        if (line !== last) deps.stderr.write(`replay: ${line}\n`);
        last = line;
      },
    },
  );
  for (const batch of result.failed) {
    const why = [batch.error, batch.cause].filter((x) => x !== undefined).join(': ');
    deps.stderr.write(`replay: batch failed (${why || 'no error recorded'}): ${batch.keys.join(' ')}\n`);
  }
  for (const bad of result.summary.errors) deps.stderr.write(`replay: skipped ${bad.key}: ${bad.reason}\n`);
  if (result.status !== 'SUCCEEDED') {
    const why = [result.error, result.cause].filter((x) => x !== undefined).join(': ');
    deps.stderr.write(
      `replay: execution ${result.status}${why ? ` (${why})` : ''}: ${result.executionArn}\n`,
    );
  }
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
    objectsListed: result.manifest?.listed,
    objectsInRange: result.manifest?.objects,
    failedBatches: result.failed.length,
    wallSeconds: Math.round(result.wallMs / 1000),
    eventsPerSecond: result.eventsPerSecond,
    ...result.summary,
  };
  deps.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  const ok =
    result.status === 'SUCCEEDED' &&
    result.failed.length === 0 &&
    (args.skipBad || result.summary.errors.length === 0);
  return ok ? 0 : 1;
}
