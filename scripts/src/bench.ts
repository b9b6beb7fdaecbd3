/**
 * `npm run bench [-- --quick] [--json] [--input FILE]`: see packages/bench/README.md.
 */
import { parseArgs } from 'node:util';
import { formatReport, runBench } from '@firstseen/bench';

const USAGE = `usage: npm run bench -- [--quick] [--json] [--input FILE]

  --quick        a small run (under 3 minutes)
  --json         print one JSON object instead of the table
  --input FILE   run the DynamoDB-request and replay parts on this NDJSON file
`;

async function main(): Promise<number> {
  let values: { quick?: boolean; json?: boolean; input?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        quick: { type: 'boolean' },
        json: { type: 'boolean' },
        input: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const result = await runBench({
    quick: values.quick === true,
    ...(values.input !== undefined && { input: values.input }),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : formatReport(result));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
