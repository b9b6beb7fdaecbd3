import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfigFile, parseCommandLine, UsageError } from '@firstseen/core';
import { DemoInterruptedError, startLocalDemo } from '@firstseen/demo';
import { LocalStackError } from '@firstseen/local-stack';
import { runCommand } from './runCommand';

const FEEDS = ['eventbridge', 'trail', 'both'] as const;

const USAGE = `usage: npm start [-- --once] [--feed eventbridge|trail|both] [--config FILE] [--why]

Starts the whole pipeline on this machine (packages/demo/README.md), streams a live
period with injected attacks through it and prints the alerts and a summary.

  --once     stop after the summary; exit 0 when every injected attack alerted exactly once
  --feed     which feed carries the live period: eventbridge (default, through Kinesis), trail
             (CloudTrail log files in s3rver, read by the trail-reader from a local queue), or both
  --config FILE  a config (JSON) replacing the defaults, e.g. {"levels": {"resource": true}}
             (which also injects an exfiltration: a known GetObject on a new bucket); the
             demo keeps its own routing
  --why      the summary also lists the live events whose levels fired without an alert, and why
             (burn-in until when, which suppression); an injected attack that did not alert always
             says why
  -h, --help

Without --once the pipeline keeps running for \`npm run send\`, \`npm run triage\`,
\`npm run redrive\` and \`npm run replay\`, until Ctrl-C.`;

runCommand(
  {
    name: 'npm start',
    usage: USAGE,
    inputErrors: [LocalStackError, ConfigError],
    async run(argv) {
      const { values } = parseCommandLine(argv, {
        once: { type: 'boolean' },
        feed: { type: 'string' },
        config: { type: 'string' },
        why: { type: 'boolean' },
      });
      const feed = values.feed ?? 'eventbridge';
      if (!(FEEDS as readonly string[]).includes(feed)) {
        throw new UsageError(`--feed must be one of ${FEEDS.join(', ')}, got '${feed}'`);
      }
      // Validated here (one line naming the file and path, exit 2); the demo adds its routing.
      let configInput: Record<string, unknown> | undefined;
      if (values.config !== undefined) {
        await loadConfigFile(values.config);
        configInput = JSON.parse(await readFile(values.config, 'utf8')) as Record<string, unknown>;
      }
      // Ctrl-C during start-up stops what was started (and leaves no state file behind).
      const interrupt = new AbortController();
      const onSignal = () => interrupt.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let demo: Awaited<ReturnType<typeof startLocalDemo>>;
      try {
        demo = await startLocalDemo({
          signal: interrupt.signal,
          feed: feed as (typeof FEEDS)[number],
          ...(configInput !== undefined && { configInput }),
          why: values.why === true,
        });
      } catch (err) {
        if (err instanceof DemoInterruptedError) {
          process.stderr.write(`\nnpm start: ${err.message}\n`);
          return 130;
        }
        throw err;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (values.once) {
        await demo.stop();
        return demo.ok ? 0 : 1;
      }
      const stopping = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      process.stdout.write(
        [
          'The pipeline keeps running. From another terminal:',
          '  npm run send -- <file>      send your own events (NDJSON or JSON, .gz too: CloudTrail records,',
          '                              EventBridge envelopes, or {"Records": [...]})',
          '  npm run triage -- list      suppressions; add, remove, audit (see the README)',
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      await stopping;
      process.stdout.write('\nStopping the pollers and emulators...\n');
      await demo.stop();
      return 0;
    },
  },
  { exit: true },
);
