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
import { runCommand } from './runCommand';

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

runCommand({
  name: 'coverage',
  usage: USAGE,
  async run(argv) {
    const args = parseCoverageArgs(argv, readOutputs);
    const clients = createCoverageClients({ region: args.region, baselineTable: args.targets.baselineTable });
    const report = await runCoverageCheck(clients, args.targets, Date.now());
    process.stdout.write(
      args.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderCoverageTable(report)}\n`,
    );
    return report.ok ? 0 : 1;
  },
});
