import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCommandLine } from '@firstseen/core';
import { defaultSlackSigningSecretName } from '@firstseen/infra/src/constants';
// Direct module paths: the check needs no Pulumi engine nor the AWS provider's resource classes.
import { checkStackFile, stackFiles } from '@firstseen/infra/src/stackFile';
import { checkDetectionConfig } from '@firstseen/infra/src/stackSettings';
import { runCommand } from './runCommand';

const USAGE = `usage: npm run check -- [--stack NAME | --stack-file FILE] [--config FILE]
  Validates offline, before any \`pulumi up\`, with the messages \`pulumi up\` gives:
  --stack NAME       infra/Pulumi.NAME.yaml (default: every stack file in infra/)
  --stack-file FILE  a stack file elsewhere
  --config FILE      a detection config JSON alone (schema, routing, secret names)`;

const INFRA_DIR = path.resolve(__dirname, '..', '..', 'infra');

function check(argv: string[]): number {
  const { values } = parseCommandLine(argv, {
    stack: { type: 'string' },
    'stack-file': { type: 'string' },
    config: { type: 'string' },
  });
  let failed = 0;
  const report = (what: string, check: () => { summary: string; warnings: string[] }): void => {
    try {
      const { summary, warnings } = check();
      process.stdout.write(`ok   ${what}: ${summary}\n`);
      for (const w of warnings) process.stdout.write(`  warning: ${w}\n`);
    } catch (err) {
      failed++;
      const lines = (err as Error).message.split('\n');
      process.stdout.write(`FAIL ${what}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    }
  };

  if (values.config) {
    const file = path.resolve(values.config);
    report(file, () => {
      const { config, problems, warnings } = checkDetectionConfig(
        JSON.parse(fs.readFileSync(file, 'utf8')),
        defaultSlackSigningSecretName('firstseen'),
        file,
      );
      if (problems.length || !config) throw new Error(problems.join('\n'));
      return {
        summary: `destinations ${Object.keys(config.routing.destinations).join(', ') || 'none'}`,
        warnings,
      };
    });
  }
  const stackFile = values['stack-file'];
  const files = stackFile
    ? { [/^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(stackFile))?.[1] ?? stackFile]: path.resolve(stackFile) }
    : values.stack
      ? { [values.stack]: path.join(INFRA_DIR, `Pulumi.${values.stack}.yaml`) }
      : values.config
        ? {}
        : stackFiles(INFRA_DIR);
  if (!values.config && Object.keys(files).length === 0) {
    process.stderr.write(`no Pulumi.<stack>.yaml in ${INFRA_DIR} (pulumi stack init <name>)\n${USAGE}\n`);
    return 2;
  }
  for (const [stack, file] of Object.entries(files)) {
    report(`stack ${stack} (${file})`, () => {
      if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
      const s = checkStackFile(file);
      return {
        summary: `org ${s.orgId}, ${s.regions ? `${s.regions.length} regions` : 'every enabled region'}, destinations ${Object.keys(s.config.routing.destinations).join(', ') || 'none'}`,
        warnings: s.warnings,
      };
    });
  }
  return failed ? 1 : 0;
}

runCommand({ name: 'check', usage: USAGE, run: async (argv) => check(argv) });
