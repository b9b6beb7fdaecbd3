import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Receiver,
  readStateFile,
  startPagerDutyReceiver,
  startSlackReceiver,
} from '@firstseen/local-stack';
import { type LocalDemo, startLocalDemo } from '../../src';
import { startSmallDemo } from '../helpers/smallDemo';

jest.setTimeout(300_000);

/** The environment `npm start` reads, pointing Slack and PagerDuty at local receivers. */
function receiverEnv(slack: Receiver, pd: Receiver): NodeJS.ProcessEnv {
  return {
    FIRSTSEEN_SLACK_WEBHOOK_URL: `${slack.baseUrl}/webhook`,
    FIRSTSEEN_PAGERDUTY_ROUTING_KEY: 'R0UTINGKEY0123456789abcdef012345',
    FIRSTSEEN_PAGERDUTY_EVENTS_URL: `${pd.baseUrl}/v2/enqueue`,
  };
}

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
  let output = () => '';
  let statePath = '';
  let slack: Receiver | undefined;
  let pd: Receiver | undefined;

  beforeAll(async () => {
    statePath = join(await mkdtemp(join(tmpdir(), 'firstseen-demo-')), 'local-stack.json');
    slack = await startSlackReceiver();
    pd = await startPagerDutyReceiver();
    ({ demo, output } = await startSmallDemo({ env: receiverEnv(slack, pd), statePath }));
  });

  afterAll(async () => {
    await demo?.stop();
    await slack?.stop();
    await pd?.stop();
  });

  it('shows what each configured destination received', () => {
    const byName = Object.fromEntries(demo!.summary.destinations.map((d) => [d.destination, d]));
    expect(Object.keys(byName).sort()).toEqual(['console', 'pagerduty', 'slack']);
    for (const d of demo!.summary.destinations) {
      expect(d.delivered).toBe(d.routed);
      expect(d.ok).toBe(true);
    }
    expect(byName['console']!.routed).toBe(demo!.summary.deliveredAlerts);
    expect(byName['pagerduty']!.delivered).toBeGreaterThan(0);
    expect(pd!.accepted().length).toBeGreaterThan(0);
    expect(output()).toMatch(/ok {3}slack +\d+ -> \d+ delivered, 0 failed/);
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
    expect(output()).toContain('first-seen alert');
    expect(output()).toContain('Summary of the live period');
    for (const a of demo!.summary.otherAlerts)
      expect(output()).toContain(`${a.principal} ${a.action}  levels: ${a.levels.join(', ')}`);
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
    while (!output().includes('sent-later-1') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(output()).toContain('event sent-later-1');
  });

  it('leaves nothing listening and removes its state file after stop()', async () => {
    const endpoints = Object.values(demo!.stack.endpoints);
    for (const e of endpoints) expect(await listening(e)).toBe(true);
    await demo!.stop();
    for (const e of endpoints) expect(await listening(e)).toBe(false);
    await expect(readFile(statePath, 'utf8')).rejects.toThrow();
  });
});

describe('startLocalDemo() with a misconfigured destination', () => {
  it('fails before starting anything on a malformed webhook URL, in one line', async () => {
    const started = Date.now();
    await expect(
      startLocalDemo({
        env: { FIRSTSEEN_SLACK_WEBHOOK_URL: 'hooks.slack.com/services/T0/B0/SECRETxyz' },
        statePath: false,
        write: () => {},
      }),
    ).rejects.toThrow(
      /^destination "slack": secret "FIRSTSEEN_SLACK_WEBHOOK_URL" is not a valid webhook URL \(expected https:\/\/hooks\.slack\.com\/services\/\.\.\.\)$/,
    );
    // Nothing was started: no emulator start-up (seconds) preceded the error.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a destination answering 404 as having received nothing, and fails the run', async () => {
    const slack = await startSlackReceiver({ behaviour: () => ({ kind: 'status', status: 404 }) });
    const pd = await startPagerDutyReceiver();
    let demo: LocalDemo | undefined;
    try {
      let output: () => string;
      ({ demo, output } = await startSmallDemo({
        env: receiverEnv(slack, pd),
        historyEventsPerDay: 150,
        liveMinutes: 20,
        liveEventsPerDay: 2000,
      }));
      const bySlack = demo.summary.destinations.find((d) => d.destination === 'slack')!;
      expect(bySlack).toMatchObject({
        delivered: 0,
        ok: false,
        lastError: 'slack webhook HTTP 404 channel_not_found',
      });
      expect(bySlack.permanent).toBe(bySlack.routed);
      expect(demo.summary.destinations.find((d) => d.destination === 'pagerduty')).toMatchObject({
        ok: true,
      });
      // The injected anomalies still reached the console and PagerDuty: nothing waited on Slack.
      for (const s of demo.summary.scenarios) expect(s.alerted).toBe(s.injected);
      expect(demo.ok).toBe(false);
      expect(output()).toMatch(/FAIL slack +\d+ -> 0 delivered, \d+ failed \(\d+ permanently\)/);
      expect(output()).toContain('Result: FAILED: "slack" received nothing');
    } finally {
      await demo?.stop();
      await slack.stop();
      await pd.stop();
    }
  });
});
