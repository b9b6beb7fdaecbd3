import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function firstLine(child: ChildProcess): Promise<string> {
  let buffered = '';
  for await (const chunk of child.stdout ?? []) {
    buffered += String(chunk);
    const newline = buffered.indexOf('\n');
    if (newline >= 0) return buffered.slice(0, newline);
  }
  throw new Error(`child ended before reporting: exit ${child.exitCode}`);
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('startDynamoDbLocal() when its parent dies', () => {
  it('leaves no java process running after Ctrl-C (SIGINT) of the parent', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'helpers', 'runDynamoDbLocal.ts')],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const { pid } = JSON.parse(await firstLine(child)) as { pid: number };
    expect(alive(pid)).toBe(true);
    child.kill('SIGINT');
    await once(child, 'exit');
    expect(await waitUntilGone(pid)).toBe(true);
  }, 240_000);
});
