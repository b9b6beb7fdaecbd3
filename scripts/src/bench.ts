/**
 * `npm run bench [-- --quick] [--json] [--input FILE] [--config FILE]`: see packages/bench/README.md.
 */
import {
  formatReport,
  measureReplayScaling,
  runBench,
  scalingRounds,
  scalingWorkload,
} from '@firstseen/bench';
import { ConfigError, loadConfigFile, parseCommandLine, UsageError } from '@firstseen/core';
import { runCommand } from './runCommand';

const USAGE = `usage: npm run bench -- [--quick] [--json] [--input FILE] [--config FILE] [--only replayScaling]

  --quick        a small run (under 3 minutes)
  --json         print one JSON object instead of the table
  --input FILE   run the DynamoDB-request and replay parts on this NDJSON file
  --config FILE  a config (JSON) instead of the defaults, e.g. {"levels": {"resource": true}}
  --only replayScaling   only replay's 1- vs 2-worker throughput (JSON)
  -h, --help`;

runCommand(
  {
    name: 'bench',
    usage: USAGE,
    inputErrors: [ConfigError],
    async run(argv) {
      const { values } = parseCommandLine(argv, {
        quick: { type: 'boolean' },
        json: { type: 'boolean' },
        input: { type: 'string' },
        config: { type: 'string' },
        only: { type: 'string' },
      });
      if (values.only !== undefined) {
        if (values.only !== 'replayScaling')
          throw new UsageError(`--only must be replayScaling, got ${JSON.stringify(values.only)}`);
        const quick = values.quick === true;
        const scaling = await measureReplayScaling(scalingWorkload(quick), scalingRounds(quick));
        process.stdout.write(
          `${JSON.stringify({ replayScaling: scaling.replayScaling, details: scaling })}\n`,
        );
        return 0;
      }
      const config = values.config === undefined ? undefined : await loadConfigFile(values.config);
      const result = await runBench({
        quick: values.quick === true,
        ...(values.input !== undefined && { input: values.input }),
        ...(config !== undefined && { config }),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : formatReport(result));
      return 0;
    },
  },
  { exit: true },
);
