import { type SlackReceiver, startSlackReceiver } from '@firstseen/local-stack';
import type { LocalDemo } from '../../src';
import { startSmallDemo } from '../helpers/smallDemo';

jest.setTimeout(300_000);

/**
 * `npm start` with Slack in bot mode (FIRSTSEEN_SLACK_BOT_TOKEN, FIRSTSEEN_SLACK_CHANNEL) against
 * the local Slack receiver (FIRSTSEEN_SLACK_API_URL), issue 24: a principal's burst is one thread,
 * and alerts name accounts as the generated organization does (names and OU paths).
 */
describe('startLocalDemo() with Slack in bot mode', () => {
  let demo: LocalDemo | undefined;
  let slack: SlackReceiver | undefined;
  let output = () => '';

  beforeAll(async () => {
    slack = await startSlackReceiver({ token: 'xoxb-test-token' });
    ({ demo, output } = await startSmallDemo({
      env: {
        FIRSTSEEN_SLACK_BOT_TOKEN: 'xoxb-test-token',
        FIRSTSEEN_SLACK_CHANNEL: '#firstseen',
        FIRSTSEEN_SLACK_API_URL: `${slack.baseUrl}/api`,
      },
    }));
  });

  afterAll(async () => {
    await demo?.stop();
    await slack?.stop();
  });

  const mentions = (blocks: unknown, principal: string) =>
    JSON.stringify(blocks).includes(`*Principal*\\n\`${principal}\``);

  it('shows the recon burst as one thread: one parent, every later alert a reply under it', () => {
    const recon = demo!.summary.scenarios.find((s) => s.scenario === 'recon-burst')!;
    expect(recon.alerted).toBe(recon.injected);
    expect(recon.injected).toBeGreaterThan(1);
    const parents = slack!.messages.filter(
      (m) => m.threadTs === undefined && mentions(m.blocks, recon.principal),
    );
    expect(parents).toHaveLength(1);
    const replies = slack!.messages.filter((m) => m.threadTs === parents[0]!.ts);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((r) => mentions(r.blocks, recon.principal))).toBe(true);
    expect(demo!.ok).toBe(true);
  });

  it('opens at most one thread per principal', () => {
    const parents = slack!.messages.filter((m) => m.threadTs === undefined);
    const principals = parents.map((m) => JSON.stringify(m.blocks).match(/\*Principal\*\\n`([^`]+)`/)?.[1]);
    expect(principals.every((p) => p !== undefined)).toBe(true);
    expect(new Set(principals).size).toBe(parents.length);
  });

  it('names accounts with their OU path in Slack and in the terminal', () => {
    const text = JSON.stringify(slack!.messages.map((m) => m.blocks));
    expect(text).toMatch(/\*Account\*\\n`prod \(\d{12}\)`\\n`Workloads\/Production`/);
    expect(output()).toMatch(/account prod \(\d{12}\) \[Workloads\/Production\]/);
    expect(output()).toContain('account directory: 6 accounts with names and OUs');
  });
});
