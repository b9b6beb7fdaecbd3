/**
 * `npm run bench [-- --quick] [--json] [--input FILE] [--config FILE]`: see packages/bench/README.md.
 */
import { formatReport, runBench } from '@firstseen/bench';
import { ConfigError, loadConfigFile, parseCommandLine } from '@firstseen/core';
import { runCommand } from './runCommand';

const USAGE = `usage: npm run bench -- [--quick] [--json] [--input FILE] [--config FILE]

  --quick        a small run (under 3 minutes)
  --json         print one JSON object instead of the table
  --input FILE   run the DynamoDB-request and replay parts on this NDJSON file
  --config FILE  a config (JSON) instead of the defaults, e.g. {"levels": {"resource": true}}
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
      });
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
