import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
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
});
