import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// `npm start` without --once keeps running until Ctrl-C; then every poller, emulator and
// child process must stop, leaving nothing listening (issue "The local stack and npm start").
// The script runs as `npm start` runs it (scripts/src/local.ts under tsx), in its own process.

jest.setTimeout(300_000);

const REPO = resolve(__dirname, '../../..');
const STATE = join(REPO, '.firstseen', 'local-stack.json');

function listening(endpoint: string): Promise<boolean> {
  const url = new URL(endpoint);
  return new Promise((done) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Command lines of the running DynamoDB Local launchers on `port`. */
function dynamoDbLocalProcesses(port: string): string[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  } catch {
    return [];
  }
  return out.split('\n').filter((l) => l.includes('DynamoDbLocal') && l.includes(`-port ${port}`));
}

function waitFor(child: ChildProcess, text: string, output: () => string): Promise<void> {
  return new Promise((done, fail) => {
    const check = () => {
      if (output().includes(text)) {
        child.stdout?.off('data', check);
        done();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) =>
      fail(new Error(`npm start exited (${code}) before "${text}":\n${output()}`)),
    );
    check();
  });
}

describe('npm start (keeps running until Ctrl-C)', () => {
  it('stops every emulator and poller on SIGINT, leaving nothing listening', async () => {
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/src/local.ts'], {
      cwd: REPO,
      env: { ...process.env, FIRSTSEEN_SLACK_WEBHOOK_URL: '', FIRSTSEEN_PAGERDUTY_ROUTING_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString('utf8');
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString('utf8');
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

    try {
      await waitFor(child, 'Press Ctrl-C to stop.', () => output);
      const state = JSON.parse(readFileSync(STATE, 'utf8')) as {
        endpoints: { dynamodb: string; s3: string; kinesis: string };
      };
      const endpoints = Object.values(state.endpoints);
      expect(await Promise.all(endpoints.map(listening))).toEqual([true, true, true]);
      const dynamoPort = new URL(state.endpoints.dynamodb).port;
      expect(dynamoDbLocalProcesses(dynamoPort)).toHaveLength(1);

      child.kill('SIGINT');
      expect(await exited).toBe(0);

      expect(output).toContain('Stopping the pollers and emulators');
      expect(await Promise.all(endpoints.map(listening))).toEqual([false, false, false]);
      expect(dynamoDbLocalProcesses(dynamoPort)).toEqual([]);
      expect(existsSync(STATE)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('stops what it started on Ctrl-C during start-up, and clears a stale state file left before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firstseen-sigint-'));
    const state = join(dir, 'local-stack.json');
    // Left by an earlier `npm start` that was killed: its pid no longer runs.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((done) => dead.once('exit', done));
    writeFileSync(
      state,
      JSON.stringify({
        pid: dead.pid,
        startedAt: '2026-12-06T12:00:00.000Z',
        endpoints: {
          dynamodb: 'http://127.0.0.1:9',
          s3: 'http://127.0.0.1:9',
          kinesis: 'http://127.0.0.1:9',
        },
        streamName: 's',
        alertsTable: 'a',
        baselineTable: 'b',
      }),
    );
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/src/local.ts'], {
      cwd: REPO,
      env: {
        ...process.env,
        FIRSTSEEN_LOCAL_STACK_STATE: state,
        FIRSTSEEN_SLACK_WEBHOOK_URL: '',
        FIRSTSEEN_PAGERDUTY_ROUTING_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString('utf8');
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString('utf8');
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await waitFor(child, 'Seeding the baseline', () => output);
      expect(existsSync(state)).toBe(false); // the stale file is gone before anything else
      const endpoints = [...output.matchAll(/(?:DynamoDB|Kinesis|S3) (http:\/\/127\.0\.0\.1:\d+)/g)].map(
        (m) => m[1]!,
      );
      expect(endpoints).toHaveLength(3);

      child.kill('SIGINT');
      expect(await exited).toBe(130);

      expect(output).toContain(
        'npm start: interrupted during start-up; every emulator and poller started so far is stopped',
      );
      expect(output).not.toMatch(/\n\s+at /);
      expect(await Promise.all(endpoints.map(listening))).toEqual([false, false, false]);
      expect(dynamoDbLocalProcesses(new URL(endpoints[0]!).port)).toEqual([]);
      expect(existsSync(state)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
