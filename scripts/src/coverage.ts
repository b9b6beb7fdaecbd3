import { readFileSync } from 'node:fs';
import {
  CoverageArgumentError,
  createCoverageClients,
  parseCoverageArgs,
  renderCoverageTable,
  runCoverageCheck,
  type StackOutputs,
  USAGE,
} from '@firstseen/coverage-check';

/**
 * `npm run coverage -- --outputs outputs.json [--json]`: is firstseen blind anywhere? Read-only,
 * with the credentials of `pulumi up`. Exit 0: no gap; 1: a gap or a check that could not run;
 * 2: bad arguments.
 */
function readOutputs(file: string): StackOutputs {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackOutputs;
  } catch (err) {
    throw new CoverageArgumentError(`--outputs ${file} cannot be read as JSON (${(err as Error).message})`);
  }
}

async function main(): Promise<void> {
  const args = parseCoverageArgs(process.argv.slice(2), readOutputs);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const clients = createCoverageClients({ region: args.region, baselineTable: args.targets.baselineTable });
  const report = await runCoverageCheck(clients, args.targets, Date.now());
  process.stdout.write(
    args.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderCoverageTable(report)}\n`,
  );
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((err: unknown) => {
  const usage = err instanceof CoverageArgumentError;
  process.stderr.write(`coverage: ${err instanceof Error ? err.message : String(err)}\n`);
  if (usage) process.stderr.write(`${USAGE}\n`);
  process.exitCode = usage ? 2 : 1;
});
