/**
 * `npm run bench [-- --quick] [--json] [--input FILE]`: see packages/bench/README.md.
 */
import { formatReport, runBench } from '@firstseen/bench';
import { parseCommandLine } from '@firstseen/core';
import { runCommand } from './runCommand';

const USAGE = `usage: npm run bench -- [--quick] [--json] [--input FILE]

  --quick        a small run (under 3 minutes)
  --json         print one JSON object instead of the table
  --input FILE   run the DynamoDB-request and replay parts on this NDJSON file
  -h, --help`;

runCommand(
  {
    name: 'bench',
    usage: USAGE,
    async run(argv) {
      const { values } = parseCommandLine(argv, {
        quick: { type: 'boolean' },
        json: { type: 'boolean' },
        input: { type: 'string' },
      });
      const result = await runBench({
        quick: values.quick === true,
        ...(values.input !== undefined && { input: values.input }),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : formatReport(result));
      return 0;
    },
  },
  { exit: true },
);
