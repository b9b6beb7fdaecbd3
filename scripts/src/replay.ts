import { writeFileSync } from 'node:fs';
import { ConfigError, createLogger, createSuppressionCheck, LOG_LEVEL_VARIABLE } from '@firstseen/core';
import { DynamoAlertOutbox, DynamoBaselineStore } from '@firstseen/dynamodb-store';
import { Explainer, InMemoryExplainStore } from '@firstseen/explain';
import {
  AlertFileWriter,
  CheckpointError,
  createObjectSource,
  createProgress,
  createReplayDynamoClient,
  createReplayKinesisClient,
  createReplayS3Client,
  exitCodeFor,
  KinesisPublisher,
  loadReplayConfig,
  parseReplayArgs,
  parseSourceSpec,
  printableSummary,
  type ReplayArgs,
  ReplayArgumentError,
  type ReplaySink,
  reconcileSink,
  renderReport,
  runReplay,
  SourceAccessError,
  seedSink,
  simulateSink,
  streamSink,
  USAGE,
} from '@firstseen/replay';
import { loadSuppressionsFile, SuppressionInputError } from '@firstseen/triage';
import pino from 'pino';

/** `npm run replay -- <source> [options]`: see packages/replay/README.md. */
async function main(): Promise<number> {
  let args: ReplayArgs;
  try {
    args = parseReplayArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof ReplayArgumentError)) throw err;
    process.stderr.write(`replay: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // The lock file pins SDK releases that support Node 20 (STYLE.md); the SDK's notice about
  // later releases would otherwise turn "one clear line" errors into ten.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadReplayConfig(args.configPath, args.overrides);
  const logger = createLogger({
    name: 'replay',
    level: process.env[LOG_LEVEL_VARIABLE] ?? 'warn',
    destination: pino.destination(2),
  });
  const region = args.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const client = (endpoint: string | undefined) =>
    endpoint === undefined ? { region } : { region, endpoint };

  const source = createObjectSource(parseSourceSpec(args.source), () =>
    createReplayS3Client(client(args.endpointUrl)),
  );
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
  let sink: ReplaySink;
  switch (args.mode) {
    case 'simulate': {
      // Each alert's `context` (likely explanation and facts), from in-memory explain state.
      const explainer = new Explainer({ store: new InMemoryExplainStore() });
      const explain = { context: explainer.context, observer: explainer.observe };
      sink = simulateSink(
        args.out === undefined
          ? { config, ...explain, ...suppression }
          : { config, ...explain, ...suppression, out: new AlertFileWriter(args.out) },
      );
      break;
    }
    case 'seed': {
      const dynamo = createReplayDynamoClient(client(args.dynamodbEndpointUrl));
      const target = new DynamoBaselineStore({ client: dynamo, tableName: args.baselineTable! });
      sink = seedSink({ config, target, concurrency: args.concurrency });
      break;
    }
    case 'reconcile': {
      const dynamo = createReplayDynamoClient(client(args.dynamodbEndpointUrl));
      sink = reconcileSink({
        config,
        store: new DynamoBaselineStore({ client: dynamo, tableName: args.baselineTable! }),
        outbox: new DynamoAlertOutbox({ client: dynamo, tableName: args.alertsTable! }),
        concurrency: args.concurrency,
        ...suppression,
      });
      break;
    }
    case 'stream': {
      const kinesis = createReplayKinesisClient(client(args.kinesisEndpointUrl));
      sink = streamSink(new KinesisPublisher({ client: kinesis, streamName: args.streamName! }));
      break;
    }
  }

  const summary = await runReplay(
    {
      config,
      filters: args.filters,
      concurrency: args.concurrency,
      ...(args.checkpoint !== undefined && { checkpointPath: args.checkpoint }),
    },
    { source, sink, logger, progress: createProgress({ stream: process.stderr }) },
  );
  for (const bad of summary.badFiles) process.stderr.write(`replay: skipped ${bad.key}: ${bad.reason}\n`);
  if (args.report !== undefined) {
    writeFileSync(
      args.report,
      renderReport(summary, { burnInDays: config.burnInDays, windowDays: config.windowDays }),
    );
  }
  process.stdout.write(`${JSON.stringify(printableSummary(summary), null, 2)}\n`);
  return exitCodeFor(summary, args.skipBad);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    // A source or config that cannot be used at all: one clear line, exit 2.
    if (
      err instanceof SourceAccessError ||
      err instanceof ConfigError ||
      err instanceof CheckpointError ||
      err instanceof SuppressionInputError
    ) {
      process.stderr.write(`replay: ${message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`replay failed: ${message}\n`);
    process.exitCode = 1;
  },
);
