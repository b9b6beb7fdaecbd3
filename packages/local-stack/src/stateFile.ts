import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LocalStackError } from './errors';
import { repoRoot } from './repoRoot';

/** What a running `npm start` tells `npm run send` (written under the git-ignored .firstseen/). */
export interface LocalStackState {
  pid: number;
  startedAt: string;
  endpoints: { dynamodb: string; s3: string; kinesis: string };
  streamName: string;
  alertsTable: string;
  baselineTable: string;
}

export function defaultStatePath(): string {
  return join(repoRoot(), '.firstseen', 'local-stack.json');
}

export async function writeStateFile(state: LocalStackState, path = defaultStatePath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`);
}

export async function removeStateFile(path = defaultStatePath()): Promise<void> {
  await rm(path, { force: true });
}

/** The running stack's state; fails with a hint when no stack runs (or the one recorded died). */
export async function readStateFile(path = defaultStatePath()): Promise<LocalStackState> {
  let state: LocalStackState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as LocalStackState;
  } catch (err) {
    throw new LocalStackError(`no running local stack (${path} is missing): start one with \`npm start\``, {
      cause: err,
    });
  }
  try {
    process.kill(state.pid, 0);
  } catch (err) {
    throw new LocalStackError(`the local stack recorded in ${path} (pid ${state.pid}) is not running`, {
      cause: err,
    });
  }
  return state;
}
