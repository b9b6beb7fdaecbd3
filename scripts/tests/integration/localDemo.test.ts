import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalDemo, readStateFile, startLocalDemo } from '@firstseen/local-stack';

jest.setTimeout(300_000);

function listening(endpoint: string): Promise<boolean> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startLocalDemo() (the npm start -- --once flow)', () => {
  let demo: LocalDemo | undefined;
  let output = '';
  let statePath = '';

  beforeAll(async () => {
    statePath = join(await mkdtemp(join(tmpdir(), 'firstseen-demo-')), 'local-stack.json');
    demo = await startLocalDemo({
      historyEventsPerDay: 400,
      liveMinutes: 30,
      liveEventsPerDay: 4000,
      statePath,
      logLevel: 'silent',
      write: (t) => {
        output += t;
      },
    });
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('alerts every injected anomaly exactly once with its expected levels', () => {
    expect(demo!.summary.scenarios.map((s) => s.scenario).sort()).toEqual(
      ['new-action', 'new-region', 'recon-burst', 'stop-logging', 'window-return'].sort(),
    );
    for (const s of demo!.summary.scenarios) expect(s.alerted).toBe(s.injected);
    expect(demo!.summary.duplicates).toEqual([]);
    expect(demo!.ok).toBe(true);
  });

  it('delivers exactly the alerts the in-memory engine raises on the same events', () => {
    expect(demo!.summary.mismatches).toEqual([]);
    expect(demo!.summary.deliveredAlerts).toBeGreaterThan(0);
  });

  it('prints one block per alert group and a summary naming every other alert with its levels', () => {
    expect(output).toContain('first-seen alert');
    expect(output).toContain('Summary of the live period');
    for (const a of demo!.summary.otherAlerts)
      expect(output).toContain(`${a.principal} ${a.action}  levels: ${a.levels.join(', ')}`);
  });

  it('records its endpoints for npm run send, and events sent later reach the console', async () => {
    const state = await readStateFile(statePath);
    expect(state.streamName).toBe(demo!.stack.resources.streamName);
    const record = {
      eventVersion: '1.08',
      userIdentity: { type: 'Root', accountId: '999988887777', arn: 'arn:aws:iam::999988887777:root' },
      eventTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      awsRegion: 'us-east-1',
      eventID: 'sent-later-1',
      recipientAccountId: '999988887777',
    };
    const file = join(statePath, '..', 'events.ndjson');
    await writeFile(file, `${JSON.stringify(record)}\n`);
    const { parseObject } = await import('@firstseen/replay');
    const values = parseObject(file, await readFile(file));
    await demo!.publish(values.flatMap((v) => (v.ok ? [v.value as Record<string, unknown>] : [])));
    const deadline = Date.now() + 60_000;
    while (!output.includes('sent-later-1') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('event sent-later-1');
  });

  it('leaves nothing listening and removes its state file after stop()', async () => {
    const endpoints = Object.values(demo!.stack.endpoints);
    for (const e of endpoints) expect(await listening(e)).toBe(true);
    await demo!.stop();
    for (const e of endpoints) expect(await listening(e)).toBe(false);
    await expect(readFile(statePath, 'utf8')).rejects.toThrow();
  });
});
