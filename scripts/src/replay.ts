import { writeFileSync } from 'node:fs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ConfigError, createLogger, createSuppressionCheck, LOG_LEVEL_VARIABLE } from '@firstseen/core';
import {
  AccountDirectoryReader,
  DynamoAccountDirectory,
  DynamoAlertOutbox,
  DynamoBaselineStore,
} from '@firstseen/dynamodb-store';
import { Explainer, InMemoryExplainStore } from '@firstseen/explain';
import {
  createDynamoDbClient as createLocalDynamoDbClient,
  createKinesisClient as createLocalKinesisClient,
  describeLocalStack,
  LocalStackError,
  type ResolvedTargets,
  resolveTargets,
  type TargetName,
} from '@firstseen/local-stack';
import {
  AlertFileWriter,
  CheckpointError,
  checkShardedSeedRange,
  checkStream,
  checkTables,
  checkWritablePath,
  createObjectSource,
  createProgress,
  createReplayDynamoClient,
  createReplayKinesisClient,
  createReplayS3Client,
  exitCodeFor,
  KinesisPublisher,
  loadInjected,
  loadReplayConfig,
  parseReplayArgs,
  parseSourceSpec,
  printableSummary,
  type ReplayArgs,
  ReplayArgumentError,
  type ReplaySink,
  reconcileSink,
  replayReport,
  runReplay,
  runSeedOnAwsCommand,
  SeedOnAwsError,
  ShardedSeedSpanError,
  SourceAccessError,
  seedSink,
  simulateSink,
  streamSink,
  TargetAccessError,
  USAGE,
} from '@firstseen/replay';
import { runParallelReplay } from '@firstseen/replay/src/parallel';
import { renderReport, summaryLines } from '@firstseen/report';
import { loadSuppressionsFile, SuppressionInputError } from '@firstseen/triage';
import pino from 'pino';
import { runCommand } from './runCommand';

/** Where seed, reconcile and stream write: the options, the environment, else the local stack. */
async function resolveReplayTargets(args: ReplayArgs): Promise<ResolvedTargets<TargetName> | undefined> {
  const env = process.env;
  const needs: Record<ReplayArgs['mode'], TargetName[]> = {
    simulate: [],
    seed: ['baselineTable'],
    reconcile: ['baselineTable', 'alertsTable'],
    stream: ['streamName'],
  };
  if (needs[args.mode].length === 0) return undefined;
  const target = await resolveTargets({
    needs: needs[args.mode],
    given:
      args.mode === 'stream'
        ? { streamName: args.streamName, kinesisEndpoint: args.kinesisEndpointUrl }
        : {
            baselineTable: args.baselineTable ?? env.FIRSTSEEN_BASELINE_TABLE,
            ...(args.mode === 'reconcile' && { alertsTable: args.alertsTable ?? env.FIRSTSEEN_ALERTS_TABLE }),
            dynamodbEndpoint: args.dynamodbEndpointUrl ?? env.FIRSTSEEN_DYNAMODB_ENDPOINT,
          },
    hints: {
      baselineTable: '--baseline-table NAME (or FIRSTSEEN_BASELINE_TABLE)',
      alertsTable: '--alerts-table NAME (or FIRSTSEEN_ALERTS_TABLE)',
      streamName: '--stream-name NAME',
    },
  });
  if (target.local) process.stderr.write(`replay: ${describeLocalStack(target.local, target.names)}\n`);
  return target;
}

/**
 * simulate --out: the account directory the watchdog cached in the baseline table, when one is
 * named; a missing or unreadable one only costs the names (a warning, the ids stay).
 */
async function readAccountDirectory(args: ReplayArgs) {
  const table = args.baselineTable ?? process.env.FIRSTSEEN_BASELINE_TABLE;
  if (table === undefined) return undefined;
  const endpoint = args.dynamodbEndpointUrl ?? process.env.FIRSTSEEN_DYNAMODB_ENDPOINT;
  const region = args.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const client = endpoint ? createLocalDynamoDbClient(endpoint) : createReplayDynamoClient({ region });
  const reader = new AccountDirectoryReader(new DynamoAccountDirectory(client, table), {
    timeoutMs: 5_000,
    onError: (err) =>
      process.stderr.write(
        `replay: account directory in ${table} unreadable (${err instanceof Error ? err.name : String(err)}); --out names account ids\n`,
      ),
  });
  const directory = await reader.lookup();
  client.destroy();
  return directory;
}

/** `--on aws`: the deployed state machine seeds (packages/replay/README.md "Seeding on AWS"). */
function seedOnAws(args: ReplayArgs): Promise<number> {
  const region = args.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const options = region === undefined ? {} : { region };
  return runSeedOnAwsCommand(args, {
    sfn: new SFNClient(options),
    s3: createReplayS3Client(options),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}

/** `npm run replay -- <source> [options]`: see packages/replay/README.md. */
async function main(argv: string[]): Promise<number> {
  const args = parseReplayArgs(argv);
  // A sharded seed has a stated limit (docs/semantics.md "Sharded seed"): checked before anything runs.
  const config = loadReplayConfig(args.configPath, args.overrides);
  const rangeWarning = checkShardedSeedRange(args, config.retentionDays);
  if (rangeWarning !== undefined) process.stderr.write(`${rangeWarning}\n`);
  if (args.on === 'aws') return seedOnAws(args);
  // Everything that can be found wrong before the source is read, is (see checkTargets.ts).
  for (const [option, path] of [
    ['report', args.report],
    ['out', args.out],
    ['checkpoint', args.checkpoint],
  ] as const) {
    if (path !== undefined) await checkWritablePath(option, path);
  }
  const target = await resolveReplayTargets(args);
  const logger = createLogger({
    name: 'replay',
    level: process.env[LOG_LEVEL_VARIABLE] || 'warn',
    destination: pino.destination(2),
  });
  const region = args.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const client = (endpoint: string | undefined) =>
    endpoint === undefined ? { region } : { region, endpoint };
  const dynamo = () =>
    target?.local
      ? createLocalDynamoDbClient(target.local.endpoints.dynamodb)
      : createReplayDynamoClient(client(target?.dynamodbEndpoint));

  const sourceSpec = parseSourceSpec(args.source);
  const source = createObjectSource(sourceSpec, () => createReplayS3Client(client(args.endpointUrl)));
  // Suppressions apply at each event's time and are read once (the file does not change).
  const suppression =
    args.suppressions === undefined
      ? {}
      : {
          suppressed: createSuppressionCheck({
            store: await loadSuppressionsFile(args.suppressions),
            at: 'event',
            ttlMs: 0,
          }),
        };
  // Injected attacks (ground truth) are shown in the report, never projected.
  const injectedIds =
    args.mode === 'simulate' || args.mode === 'reconcile'
      ? loadInjected(args.injected, args.source)
      : undefined;
  const injected = injectedIds ? { injected: injectedIds } : {};
  const summary =
    args.workers > 1 && (args.mode === 'simulate' || args.mode === 'seed')
      ? await runParallelReplay(
          {
            mode: args.mode,
            config,
            overrides: args.overrides,
            source: sourceSpec,
            s3: client(args.endpointUrl),
            filters: args.filters,
            workers: args.workers,
            concurrency: args.concurrency,
            ...(args.configPath !== undefined && { configPath: args.configPath }),
            ...(args.suppressions !== undefined && { suppressions: args.suppressions }),
            ...(injectedIds !== undefined && { injected: [...injectedIds] }),
            ...(args.out !== undefined && {
              out: new AlertFileWriter(args.out, await readAccountDirectory(args)),
            }),
            ...(args.mode === 'seed' && { seedTarget: await seedTarget() }),
          },
          { logger, progress: createProgress({ stream: process.stderr }) },
        )
      : await replayInThisThread();

  async function seedTarget(): Promise<DynamoBaselineStore> {
    const client = dynamo();
    const tableName = target!.names.baselineTable!;
    await checkTables(client, [tableName]);
    return new DynamoBaselineStore({ client, tableName });
  }

  async function replayInThisThread() {
    let sink: ReplaySink;
    switch (args.mode) {
      case 'simulate': {
        // Each alert's `context` (likely explanation and facts), from in-memory explain state.
        const explainer = new Explainer({ store: new InMemoryExplainStore() });
        const explain = { context: explainer.context, observer: explainer.observe };
        sink = simulateSink(
          args.out === undefined
            ? { config, ...explain, ...suppression, ...injected }
            : {
                config,
                ...explain,
                ...suppression,
                ...injected,
                out: new AlertFileWriter(args.out, await readAccountDirectory(args)),
              },
        );
        break;
      }
      case 'seed': {
        sink = seedSink({ config, target: await seedTarget(), concurrency: args.concurrency });
        break;
      }
      case 'reconcile': {
        const client = dynamo();
        const { baselineTable, alertsTable } = target!.names as {
          baselineTable: string;
          alertsTable: string;
        };
        await checkTables(client, [baselineTable, alertsTable]);
        sink = reconcileSink({
          config,
          store: new DynamoBaselineStore({ client, tableName: baselineTable }),
          outbox: new DynamoAlertOutbox({ client, tableName: alertsTable }),
          concurrency: args.concurrency,
          ...suppression,
          ...injected,
        });
        break;
      }
      case 'stream': {
        const kinesis = target?.local
          ? createLocalKinesisClient(target.local.endpoints.kinesis)
          : createReplayKinesisClient(client(target?.kinesisEndpoint));
        const streamName = target!.names.streamName!;
        await checkStream(kinesis, streamName);
        sink = streamSink(new KinesisPublisher({ client: kinesis, streamName }));
        break;
      }
    }

    return runReplay(
      {
        config,
        filters: args.filters,
        concurrency: args.concurrency,
        ...(args.checkpoint !== undefined && { checkpointPath: args.checkpoint }),
      },
      { source, sink, logger, progress: createProgress({ stream: process.stderr }) },
    );
  }
  for (const bad of summary.badFiles) process.stderr.write(`replay: skipped ${bad.key}: ${bad.reason}\n`);
  const report = replayReport(summary, config);
  if (args.report !== undefined) writeFileSync(args.report, renderReport(report));
  if (args.json) {
    process.stdout.write(`${JSON.stringify(printableSummary(summary), null, 2)}\n`);
  } else {
    // The human summary: what was read, what the report says, where the files are.
    const lines = [
      `${summary.mode}: ${summary.records} record(s) in ${summary.files} file(s): ${summary.observed} observed, ` +
        `${summary.ignored} ignored, ${summary.invalid} invalid, ${summary.filtered} filtered; ` +
        `${summary.alerts} alert(s), ${summary.suppressedByBurnIn} held back by burn-in`,
      ...(summary.mode === 'simulate' || summary.mode === 'reconcile' ? summaryLines(report) : []),
      ...(args.report !== undefined ? [`report: ${args.report}`] : []),
      ...(args.out !== undefined ? [`alerts: ${args.out}`] : []),
      ...(args.checkpoint !== undefined ? [`checkpoint: ${args.checkpoint}`] : []),
      '(--json for the machine summary)',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return exitCodeFor(summary, args.skipBad);
}

// A source, target or config that cannot be used at all: one clear line, exit 2.
runCommand({
  name: 'replay',
  usage: USAGE,
  usageErrors: [ReplayArgumentError],
  inputErrors: [
    SourceAccessError,
    TargetAccessError,
    ConfigError,
    CheckpointError,
    SuppressionInputError,
    LocalStackError,
    SeedOnAwsError,
    ShardedSeedSpanError,
  ],
  run: main,
});
