import { runCostCommand } from '@firstseen/cost';
import { runCommand } from './runCommand';

runCommand({
  name: 'cost',
  usage: '',
  run: async (argv) =>
    runCostCommand(
      argv,
      (s) => console.log(s),
      (s) => console.error(s),
    ),
});
