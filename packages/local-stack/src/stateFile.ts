import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { UsageError } from '@firstseen/core';
import { LocalStackError } from './errors';
import { repoRoot } from './repoRoot';

/**
 * What a running `npm start` tells the other commands (written under the git-ignored
 * .firstseen/ once start-up is over, removed when it stops).
 */
export interface LocalStackState {
  pid: number;
  startedAt: string;
  endpoints: { dynamodb: string; s3: string; kinesis: string };
  streamName: string;
  alertsTable: string;
  baselineTable: string;
  /** The demo's config (destinations), for `npm run redrive` on the local stack. */
  configPath?: string;
}

/** `.firstseen/local-stack.json` in the repository; FIRSTSEEN_LOCAL_STACK_STATE moves it (tests). */
export function defaultStatePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.FIRSTSEEN_LOCAL_STACK_STATE || join(repoRoot(), '.firstseen', 'local-stack.json');
}

export async function writeStateFile(state: LocalStackState, path = defaultStatePath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`);
}

export async function removeStateFile(path = defaultStatePath()): Promise<void> {
  await rm(path, { force: true });
}

/** The path as a user would type it from the repository root. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

function answers(endpoint: string, timeoutMs = 1000): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The local stack `npm start` runs, or undefined when none was started (no state file). A
 * state file whose process died or whose emulators no longer answer (a start-up interrupted
 * by Ctrl-C, a killed terminal) is a LocalStackError that says how to clear it.
 */
export async function findLocalStack(path = defaultStatePath()): Promise<LocalStackState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LocalStackError(`cannot read the local stack's state file ${shown(path)}`, { cause: err });
  }
  const fix = `remove it (\`rm ${shown(path)}\`) and start the stack again with \`npm start\``;
  let state: LocalStackState;
  try {
    state = JSON.parse(text) as LocalStackState;
    if (typeof state.pid !== 'number' || typeof state.endpoints?.dynamodb !== 'string') throw new Error();
  } catch (err) {
    throw new LocalStackError(`the local stack's state file ${shown(path)} is damaged: ${fix}`, {
      cause: err,
    });
  }
  if (!alive(state.pid) || !(await answers(state.endpoints.dynamodb))) {
    throw new LocalStackError(
      `stale local stack state: ${shown(path)} names \`npm start\` pid ${state.pid}, which is no longer running ` +
        `(stopped during start-up or killed): ${fix}`,
    );
  }
  return state;
}

/** The running local stack, for `npm run send`: it has no other place to send to. */
export async function readStateFile(path = defaultStatePath()): Promise<LocalStackState> {
  const state = await findLocalStack(path);
  if (state === undefined) {
    throw new LocalStackError(
      `no running local stack (${shown(path)} is missing): start one with \`npm start\``,
    );
  }
  return state;
}

/** Removes the state file of a stack that no longer runs (what `npm start` does first). */
export async function removeStaleStateFile(path = defaultStatePath()): Promise<boolean> {
  try {
    await findLocalStack(path);
    return false;
  } catch (err) {
    if (!(err instanceof LocalStackError)) throw err;
    await removeStateFile(path);
    return true;
  }
}

/** The names a command writes to or reads from; the local stack has all of them. */
export type TargetName = 'baselineTable' | 'alertsTable' | 'streamName';

export interface Targets {
  baselineTable?: string;
  alertsTable?: string;
  streamName?: string;
  dynamodbEndpoint?: string;
  kinesisEndpoint?: string;
}

export interface TargetRequest<K extends TargetName> {
  /** The names this command needs. */
  needs: readonly K[];
  /** What the command line and the environment gave (the command line first). */
  given: Targets;
  /** How to give each name, e.g. `--baseline-table NAME (or FIRSTSEEN_BASELINE_TABLE)`. */
  hints: Record<K, string>;
  statePath?: string;
}

export interface ResolvedTargets<K extends TargetName> {
  names: Record<K, string>;
  dynamodbEndpoint?: string;
  kinesisEndpoint?: string;
  /** Set when the names and endpoints came from the running local stack. */
  local?: LocalStackState;
}

/**
 * Where a command works, decided the same way for every command: whatever the command line or
 * the environment names wins, and then every needed name must be given (never half AWS, half
 * local stack); when nothing is given, the running local stack of `npm start`; with neither,
 * a UsageError that says what to pass.
 */
export async function resolveTargets<K extends TargetName>(
  request: TargetRequest<K>,
): Promise<ResolvedTargets<K>> {
  const given = Object.entries(request.given).filter(([, v]) => v !== undefined && v !== '');
  const wanted = request.needs.map((k) => request.hints[k]).join(' and ');
  if (given.length > 0) {
    const missing = request.needs.filter((k) => !request.given[k]);
    if (missing.length > 0) {
      throw new UsageError(`give ${missing.map((k) => request.hints[k]).join(' and ')} as well`);
    }
    const names = Object.fromEntries(request.needs.map((k) => [k, request.given[k]!])) as Record<K, string>;
    return {
      names,
      ...(request.given.dynamodbEndpoint ? { dynamodbEndpoint: request.given.dynamodbEndpoint } : {}),
      ...(request.given.kinesisEndpoint ? { kinesisEndpoint: request.given.kinesisEndpoint } : {}),
    };
  }
  const local = await findLocalStack(request.statePath);
  if (local === undefined) {
    throw new UsageError(`no local stack is running (\`npm start\`): give ${wanted}`);
  }
  const names = Object.fromEntries(request.needs.map((k) => [k, local[k]])) as Record<K, string>;
  return {
    names,
    dynamodbEndpoint: local.endpoints.dynamodb,
    kinesisEndpoint: local.endpoints.kinesis,
    local,
  };
}

/** The one line a command prints when it uses the local stack. */
export function describeLocalStack(
  state: LocalStackState,
  names: Partial<Record<TargetName, string>>,
): string {
  const what = Object.values(names).join(', ');
  return `using the local stack of \`npm start\` (pid ${state.pid}): ${what}`;
}
