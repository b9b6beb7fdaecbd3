import { GENERATE_USAGE, GeneratorOptionsError, runGenerateCommand } from '@firstseen/generator';
import { runCommand } from './runCommand';

runCommand({
  name: 'generate',
  usage: GENERATE_USAGE,
  usageErrors: [GeneratorOptionsError],
  run: runGenerateCommand,
});
