import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { formatChaosReport, runChaos } from '@firstseen/chaos';
import { numberOption, parseCommandLine, UsageError } from '@firstseen/core';
import { runCommand } from './runCommand';

const USAGE = `usage: npm run chaos -- [--seed S] [--json] [--trace FILE] [--hours H] [--publish-seconds S]
                         [--feed eventbridge|both] [--drop-eventbridge RATE]

The pipeline on the local stack under injected faults (packages/chaos/README.md).

  --seed S               integer seed of the faults and the workload (default 1)
  --json                 print one JSON object instead of the report
  --trace FILE           every detection (reference and detector processes) as NDJSON
  --hours H              generated hours of live traffic (> 0)
  --publish-seconds S    wall-clock seconds over which the traffic is published (> 0)
  --feed F               eventbridge (default) or both: every event also arrives in a trail log file
  --drop-eventbridge R   share of EventBridge deliveries silently dropped, 0 <= R < 1 (default 0)
  --slack-mode M         bot (default: threads, counted as threadsOpened) or webhook
  -h, --help`;

runCommand({
  name: 'chaos',
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      hours: { type: 'string' },
      'publish-seconds': { type: 'string' },
      trace: { type: 'string' },
      feed: { type: 'string', default: 'eventbridge' },
      'drop-eventbridge': { type: 'string' },
      'slack-mode': { type: 'string', default: 'bot' },
    });
    const slackMode = values['slack-mode'];
    if (slackMode !== 'bot' && slackMode !== 'webhook') {
      throw new UsageError(`--slack-mode must be bot or webhook, got '${slackMode}'`);
    }
    const feed = values.feed;
    if (feed !== 'eventbridge' && feed !== 'both') {
      throw new UsageError(`--feed must be eventbridge or both, got '${feed}'`);
    }
    const drop = numberOption('drop-eventbridge', values['drop-eventbridge'], { min: 0 });
    if (drop !== undefined && drop >= 1) {
      throw new UsageError(
        `--drop-eventbridge must be below 1, got ${JSON.stringify(values['drop-eventbridge'])}`,
      );
    }
    const seed = numberOption('seed', values.seed, { integer: true }) ?? 1;
    const hours = numberOption('hours', values.hours, { exclusiveMin: 0 });
    const publishSeconds = numberOption('publish-seconds', values['publish-seconds'], { exclusiveMin: 0 });
    const trace = values.trace !== undefined ? createWriteStream(values.trace) : undefined;
    if (trace) {
      // A path that cannot be written fails here, before the run.
      try {
        await once(trace, 'open');
      } catch (err) {
        process.stderr.write(`chaos: --trace ${values.trace} cannot be written: ${(err as Error).message}\n`);
        return 2;
      }
    }
    // A write that fails later (a full disk) must not crash the run before its cleanups: it is
    // kept and reported once the run is over.
    let traceError: Error | undefined;
    trace?.on('error', (err) => {
      traceError ??= err;
    });
    const report = await runChaos({
      seed,
      slackMode,
      ...(hours !== undefined ? { hours } : {}),
      ...(publishSeconds !== undefined ? { publishMs: publishSeconds * 1000 } : {}),
      feed,
      ...(drop !== undefined ? { dropEventBridge: drop } : {}),
      write: (line) => process.stderr.write(`${line}\n`),
      ...(trace ? { onDetection: (entry) => trace.write(`${JSON.stringify(entry)}\n`) } : {}),
    });
    if (trace) await new Promise<void>((resolve) => trace.end(() => resolve()));
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(formatChaosReport(report));
    if (traceError) {
      process.stderr.write(`chaos: --trace ${values.trace} is incomplete: ${traceError.message}\n`);
      return 2;
    }
    return report.ok ? 0 : 1;
  },
});
