import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@firstseen/core';
import { LocalStackError, resolveTargets } from '../../src';
import { findLocalStack, type LocalStackState } from '../../src/stateFile';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'state-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

const state = (pid: number): LocalStackState => ({
  pid,
  startedAt: '2026-12-06T12:00:00.000Z',
  // Port 9 (discard) on loopback: nothing listens there.
  endpoints: { dynamodb: 'http://127.0.0.1:9', s3: 'http://127.0.0.1:9', kinesis: 'http://127.0.0.1:9' },
  streamName: 'local-events',
  alertsTable: 'local-alerts',
  baselineTable: 'local-baseline',
});

const hints = {
  baselineTable: '--baseline-table NAME (or FIRSTSEEN_BASELINE_TABLE)',
  alertsTable: '--alerts-table NAME (or FIRSTSEEN_ALERTS_TABLE)',
  streamName: '--stream-name NAME',
};

describe('findLocalStack()', () => {
  it('finds none when npm start never wrote a state file', async () => {
    await expect(findLocalStack(join(dir, 'local-stack.json'))).resolves.toBeUndefined();
  });

  it('reports a state file left by a stopped npm start, with the command that clears it', async () => {
    const path = join(dir, 'local-stack.json');
    writeFileSync(path, JSON.stringify(state(deadPid())));
    const found = findLocalStack(path);
    await expect(found).rejects.toThrow(LocalStackError);
    await expect(findLocalStack(path)).rejects.toThrow(`rm ${path}`);
    await expect(findLocalStack(path)).rejects.toThrow('npm start');
  });

  it('reports a state file whose process runs but whose emulators are gone (a reused pid)', async () => {
    const path = join(dir, 'local-stack.json');
    writeFileSync(path, JSON.stringify(state(process.pid)));
    await expect(findLocalStack(path)).rejects.toThrow('stale local stack state');
  });

  it('reports a damaged state file', async () => {
    const path = join(dir, 'local-stack.json');
    writeFileSync(path, '{"pid":');
    await expect(findLocalStack(path)).rejects.toThrow('is damaged');
  });
});

describe('resolveTargets()', () => {
  const statePath = () => join(dir, 'none.json');

  it('uses what the command line and environment give, without looking for a stack', async () => {
    const resolved = await resolveTargets({
      needs: ['baselineTable', 'alertsTable'],
      given: { baselineTable: 'b', alertsTable: 'a', dynamodbEndpoint: 'http://127.0.0.1:8000' },
      hints,
      statePath: '/nonexistent/dir/that/would/fail.json',
    });
    expect(resolved).toEqual({
      names: { baselineTable: 'b', alertsTable: 'a' },
      dynamodbEndpoint: 'http://127.0.0.1:8000',
    });
  });

  it('never mixes: a partly given target asks for the rest instead of using the local stack', async () => {
    const resolving = resolveTargets({
      needs: ['baselineTable', 'alertsTable'],
      given: { baselineTable: 'b' },
      hints,
      statePath: statePath(),
    });
    await expect(resolving).rejects.toThrow(UsageError);
    await expect(
      resolveTargets({ needs: ['baselineTable', 'alertsTable'], given: { baselineTable: 'b' }, hints }),
    ).rejects.toThrow('give --alerts-table NAME (or FIRSTSEEN_ALERTS_TABLE) as well');
  });

  it('says what to pass when nothing is given and no local stack runs', async () => {
    await expect(
      resolveTargets({ needs: ['streamName'], given: {}, hints, statePath: statePath() }),
    ).rejects.toThrow('no local stack is running (`npm start`): give --stream-name NAME');
  });
});
