import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultStatePath, type LocalStack, writeStateFile } from '@firstseen/local-stack';
import { demoConfigInput } from '../config';
import type { DemoContext } from '../context';
import type { Shutdown } from '../shutdown';

/**
 * Announces the running stack to the other commands (`npm run send`, `triage`, `redrive`,
 * replay): the demo's config as a file beside the state file, and the state file with the
 * endpoints, table and stream names. Both are removed when the demo stops.
 */
export async function writeStackState(
  ctx: DemoContext,
  stack: LocalStack,
  shutdown: Shutdown,
): Promise<void> {
  if (ctx.options.statePath === false) return;
  const statePath = ctx.options.statePath ?? defaultStatePath();
  const configPath = join(dirname(statePath), 'local-config.json');
  await mkdir(dirname(configPath), { recursive: true });
  shutdown.removeOnStop(statePath, configPath);
  await writeFile(
    configPath,
    `${JSON.stringify(demoConfigInput(ctx.env, ctx.options.configInput), null, 2)}\n`,
  );
  await writeStateFile(
    {
      pid: process.pid,
      startedAt: new Date(ctx.startedAt).toISOString(),
      endpoints: stack.endpoints,
      streamName: stack.resources.streamName,
      alertsTable: stack.resources.alertsTable,
      baselineTable: stack.resources.baselineTable,
      configPath,
    },
    statePath,
  );
}
