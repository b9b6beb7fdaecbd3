import { availableParallelism } from 'node:os';
import { HelpRequested, parseCommandLine } from '@firstseen/core';
import { ReplayArgumentError } from './errors';
import type { ReplayFilters } from './objectKeys';
import type { ReplayMode } from './summary';

export const USAGE = `usage: npm run replay -- <source> [options]

<source>  s3://bucket/prefix (CloudTrail layout, AWSLogs/[o-orgid/]<account>/CloudTrail/...;
          or the failure bucket, s3://<failure-bucket>/aws/lambda/: the records of failed batches),
          a directory (CloudTrail layout or any .json/.json.gz/.ndjson/.ndjson.gz files),
          a single file, or - for NDJSON on stdin

  --mode simulate|seed|reconcile|stream   default simulate
  --accounts ID,ID  --regions R,R         only these accounts / regions
  --from TIME  --to TIME                  eventTime range, ISO 8601 (UTC), --to exclusive
  --config FILE                           firstseen config (JSON); coverage and ignore rules apply
  --window-days N  --burn-in-days N  --retention-days N   override the config
  --concurrency N                         objects fetched in parallel / writes in flight (default 8)
  --workers N                             simulate, seed: worker threads (default: the number of cores;
                                          1 with --checkpoint or stdin); same output as one
  --checkpoint FILE                       resume after a crash without re-reading finished objects
  --out FILE                              simulate: one alert JSON per line; with --baseline-table
                                          (or FIRSTSEEN_BASELINE_TABLE) each alert's accountInfo (name,
                                          OU path, tags) comes from the table's account directory
  --suppressions FILE                     simulate, reconcile: triage suppressions (JSON array); matching
                                          alerts stop (at the event's time), keys are still learned
  --report FILE.html                      self-contained HTML report that tunes (alerts and pages per
                                          day, median headline, levels, noisiest principals, ignore-rule
                                          suggestions), as \`npm run report\` renders it
  --injected FILE                         simulate, reconcile: ground-truth.json of \`npm run generate\`;
                                          its attacks are shown, never projected (default: the
                                          source directory's own ground-truth.json)
  --json                                  print the machine summary (JSON) instead of the human one
  --baseline-table NAME  --alerts-table NAME   seed, reconcile: the DynamoDB tables (default:
                                          FIRSTSEEN_BASELINE_TABLE, FIRSTSEEN_ALERTS_TABLE, else the
                                          running local stack of \`npm start\`)
  --stream-name NAME                      stream: the Kinesis stream (default: the local stack's)
  --region R                              AWS region
  --endpoint-url URL                      S3 endpoint (local emulator)
  --dynamodb-endpoint-url URL  --kinesis-endpoint-url URL   (DynamoDB default: FIRSTSEEN_DYNAMODB_ENDPOINT)
  --skip-bad                              exit 0 even when bad objects were skipped
  --on local|aws                          seed: run here (default) or as the deployed state machine's
                                          distributed map (s3:// sources; infra's replayOnAws)
  --state-machine-arn ARN                 --on aws: default FIRSTSEEN_REPLAY_STATE_MACHINE_ARN
  -h, --help`;

export interface ReplayArgs {
  source: string;
  mode: ReplayMode;
  filters: ReplayFilters;
  configPath?: string;
  overrides: { windowDays?: number; burnInDays?: number; retentionDays?: number };
  concurrency: number;
  /** simulate, seed: worker threads (runParallelReplay when more than 1). */
  workers: number;
  checkpoint?: string;
  out?: string;
  /** simulate, reconcile: a JSON file of triage suppressions (`npm run triage -- list --json`). */
  suppressions?: string;
  report?: string;
  /** A ground-truth.json whose injected anomalies the report leaves out of its projection. */
  injected?: string;
  /** Print the machine summary (JSON) rather than the human one. */
  json: boolean;
  baselineTable?: string;
  alertsTable?: string;
  streamName?: string;
  region?: string;
  endpointUrl?: string;
  dynamodbEndpointUrl?: string;
  kinesisEndpointUrl?: string;
  skipBad: boolean;
  /** `--on aws`: the seed runs as the deployed state machine's distributed map. */
  on: 'local' | 'aws';
  stateMachineArn?: string;
}

const MODES: readonly ReplayMode[] = ['simulate', 'seed', 'reconcile', 'stream'];

function nonNegativeInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new ReplayArgumentError(`--${name} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function time(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const t = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(t))
    throw new ReplayArgumentError(
      `--${name} must be an ISO 8601 date or date-time, got ${JSON.stringify(value)}`,
    );
  return t;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length ? items : undefined;
}

/**
 * Parses the command line; throws ReplayArgumentError (the script prints USAGE and exits 2) or
 * HelpRequested. Where seed, reconcile and stream write is decided later (resolveTargets):
 * the options, the environment, or the running local stack.
 */
export function parseReplayArgs(argv: string[]): ReplayArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    if (err instanceof HelpRequested) throw err;
    throw new ReplayArgumentError((err as Error).message, { cause: err });
  }
  const v = parsed.values;
  if (parsed.positionals.length !== 1) {
    throw new ReplayArgumentError(
      parsed.positionals.length === 0 ? 'missing <source>' : 'give exactly one <source>',
    );
  }
  const mode = (v.mode ?? 'simulate') as ReplayMode;
  if (!MODES.includes(mode)) throw new ReplayArgumentError(`--mode must be one of ${MODES.join(', ')}`);
  const filters: ReplayFilters = {};
  const accounts = list(v.accounts);
  if (accounts) {
    const bad = accounts.find((a) => !/^\d{12}$/.test(a));
    if (bad !== undefined)
      throw new ReplayArgumentError(`--accounts: ${JSON.stringify(bad)} is not a 12-digit account id`);
    filters.accounts = accounts;
  }
  const regions = list(v.regions);
  if (regions) filters.regions = regions;
  const from = time('from', v.from);
  const to = time('to', v.to);
  if (from !== undefined) filters.from = from;
  if (to !== undefined) filters.to = to;
  if (from !== undefined && to !== undefined && from >= to)
    throw new ReplayArgumentError('--from must be before --to');

  const concurrency = nonNegativeInt('concurrency', v.concurrency) ?? 8;
  if (concurrency < 1) throw new ReplayArgumentError('--concurrency must be at least 1');
  const args: ReplayArgs = {
    ...defaults(),
    workers: workers(v.workers, mode, v.checkpoint !== undefined, parsed.positionals[0] === '-'),
    source: parsed.positionals[0]!,
    mode,
    filters,
    concurrency,
    skipBad: v['skip-bad'] === true,
    on: onWhere(v.on),
    json: v.json === true,
  };
  const overrides: ReplayArgs['overrides'] = {};
  const windowDays = nonNegativeInt('window-days', v['window-days']);
  const burnInDays = nonNegativeInt('burn-in-days', v['burn-in-days']);
  const retentionDays = nonNegativeInt('retention-days', v['retention-days']);
  if (windowDays !== undefined) overrides.windowDays = windowDays;
  if (burnInDays !== undefined) overrides.burnInDays = burnInDays;
  if (retentionDays !== undefined) overrides.retentionDays = retentionDays;
  args.overrides = overrides;
  const strings = {
    configPath: v.config,
    checkpoint: v.checkpoint,
    out: v.out,
    suppressions: v.suppressions,
    report: v.report,
    injected: v.injected,
    baselineTable: v['baseline-table'],
    alertsTable: v['alerts-table'],
    streamName: v['stream-name'],
    region: v.region,
    endpointUrl: v['endpoint-url'],
    dynamodbEndpointUrl: v['dynamodb-endpoint-url'],
    kinesisEndpointUrl: v['kinesis-endpoint-url'],
    stateMachineArn: v['state-machine-arn'],
  } as const;
  for (const [k, value] of Object.entries(strings)) {
    if (value === '') throw new ReplayArgumentError(`an option is empty (${k})`);
    if (value !== undefined) (args as unknown as Record<string, unknown>)[k] = value;
  }
  const forModes = (option: string, value: unknown, modes: ReplayMode[]) => {
    if (value !== undefined && !modes.includes(mode))
      throw new ReplayArgumentError(`--${option} is for --mode ${modes.join(' or ')}`);
  };
  forModes('baseline-table', args.baselineTable, ['seed', 'reconcile', 'simulate']);
  forModes('alerts-table', args.alertsTable, ['reconcile']);
  forModes('dynamodb-endpoint-url', args.dynamodbEndpointUrl, ['seed', 'reconcile', 'simulate']);
  forModes('stream-name', args.streamName, ['stream']);
  forModes('kinesis-endpoint-url', args.kinesisEndpointUrl, ['stream']);
  if (args.out !== undefined && mode !== 'simulate')
    throw new ReplayArgumentError('--out is for --mode simulate');
  if (args.injected !== undefined && mode !== 'simulate' && mode !== 'reconcile')
    throw new ReplayArgumentError('--injected is for --mode simulate or reconcile');
  if (args.suppressions !== undefined && mode !== 'simulate' && mode !== 'reconcile')
    throw new ReplayArgumentError('--suppressions is for --mode simulate or reconcile');
  checkOnAws(args);
  if (args.report !== undefined && !/\.html?$/i.test(args.report)) {
    throw new ReplayArgumentError('--report must name an .html file');
  }
  return args;
}

/** At most this many worker threads (a typo such as 40000 must not start 40,000 threads). */
const MAX_WORKERS = 256;

/** `--workers`: a whole number from 1 to MAX_WORKERS; by default the cores, where a run can use them. */
function workers(value: string | undefined, mode: ReplayMode, checkpoint: boolean, stdin: boolean): number {
  const parallel = mode === 'simulate' || mode === 'seed';
  if (value === undefined) return parallel && !checkpoint && !stdin ? availableParallelism() : 1;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_WORKERS)
    throw new ReplayArgumentError(
      `--workers must be a whole number from 1 to ${MAX_WORKERS}, got ${JSON.stringify(value)}`,
    );
  const n = Number(value);
  if (!parallel) throw new ReplayArgumentError('--workers is for --mode simulate or seed');
  if (n > 1 && checkpoint) throw new ReplayArgumentError('--checkpoint resumes one worker: give --workers 1');
  if (n > 1 && stdin) throw new ReplayArgumentError('standard input is read by one worker: give --workers 1');
  return n;
}

function onWhere(value: string | undefined): ReplayArgs['on'] {
  if (value === undefined || value === 'local' || value === 'aws') return value ?? 'local';
  throw new ReplayArgumentError(`--on must be local or aws, got ${JSON.stringify(value)}`);
}

/** `--on aws` seeds an s3:// prefix through the state machine; what it cannot honour is refused. */
function checkOnAws(args: ReplayArgs): void {
  if (args.on !== 'aws') {
    if (args.stateMachineArn !== undefined)
      throw new ReplayArgumentError('--state-machine-arn is for --on aws');
    return;
  }
  if (args.mode !== 'seed') throw new ReplayArgumentError('--on aws is for --mode seed');
  if (!args.source.startsWith('s3://'))
    throw new ReplayArgumentError('--on aws needs an s3://bucket/prefix source');
  for (const [option, value] of [
    ['checkpoint', args.checkpoint],
    ['report', args.report],
    ['baseline-table', args.baselineTable],
    ['dynamodb-endpoint-url', args.dynamodbEndpointUrl],
    ['endpoint-url', args.endpointUrl],
  ] as const) {
    if (value !== undefined)
      throw new ReplayArgumentError(
        `--${option} does not apply with --on aws (the deployed state machine decides)`,
      );
  }
  if (
    args.stateMachineArn !== undefined &&
    !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:.+$/.test(args.stateMachineArn)
  )
    throw new ReplayArgumentError(
      `--state-machine-arn is not a state machine ARN: ${JSON.stringify(args.stateMachineArn)}`,
    );
}

function defaults(): ReplayArgs {
  return {
    source: '',
    mode: 'simulate',
    filters: {},
    overrides: {},
    concurrency: 8,
    workers: 1,
    skipBad: false,
    on: 'local',
    json: false,
  };
}

function parse(argv: string[]) {
  return parseCommandLine(
    argv,
    {
      mode: { type: 'string' },
      accounts: { type: 'string' },
      regions: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      config: { type: 'string' },
      'window-days': { type: 'string' },
      'burn-in-days': { type: 'string' },
      'retention-days': { type: 'string' },
      concurrency: { type: 'string' },
      workers: { type: 'string' },
      checkpoint: { type: 'string' },
      out: { type: 'string' },
      suppressions: { type: 'string' },
      report: { type: 'string' },
      injected: { type: 'string' },
      json: { type: 'boolean' },
      'baseline-table': { type: 'string' },
      'alerts-table': { type: 'string' },
      'stream-name': { type: 'string' },
      region: { type: 'string' },
      'endpoint-url': { type: 'string' },
      'dynamodb-endpoint-url': { type: 'string' },
      'kinesis-endpoint-url': { type: 'string' },
      'skip-bad': { type: 'boolean' },
      on: { type: 'string' },
      'state-machine-arn': { type: 'string' },
    },
    true,
  );
}
