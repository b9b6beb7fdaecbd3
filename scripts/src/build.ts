import * as path from 'node:path';
import { parseCommandLine, UsageError } from '@firstseen/core';
// Direct module path: bundling needs no Pulumi engine.
import { buildHandlers, findHandlers } from '@firstseen/infra/src/buildHandlers';
import { runCommand } from './runCommand';

const HANDLERS_DIR = path.resolve(__dirname, '..', '..', 'handlers');

runCommand({
  name: 'build',
  usage: `usage: npm run build [-- HANDLER ...]

One esbuild bundle per Lambda handler under handlers/<name>/dist/ (all of them by default),
what \`pulumi up\` deploys (infra/src/buildHandlers.ts).
  -h, --help`,
  async run(argv) {
    const { positionals } = parseCommandLine(argv, {}, true);
    const unknown = positionals.filter((n) => !findHandlers(HANDLERS_DIR).includes(n));
    if (unknown.length > 0) {
      throw new UsageError(
        `no handler ${unknown.join(', ')} (handlers: ${findHandlers(HANDLERS_DIR).join(', ')})`,
      );
    }
    const bundles = await buildHandlers(positionals.length ? { only: positionals } : {});
    if (bundles.length === 0) console.log('no handlers with src/index.ts found');
    for (const b of bundles) {
      console.log(`${path.relative(process.cwd(), b.outfile)}  ${(b.bytes / 1024).toFixed(0)} KiB`);
    }
    return 0;
  },
});
