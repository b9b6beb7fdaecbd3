import { runCostCommand } from '@firstseen/cost';

process.exitCode = runCostCommand(
  process.argv.slice(2),
  (s) => console.log(s),
  (s) => console.error(s),
);
