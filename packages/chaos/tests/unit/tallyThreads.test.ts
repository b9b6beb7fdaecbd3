import type { SlackChannelMessage } from '@firstseen/local-stack';
import { postedSlackBodies, tallyThreads } from '../../src/verdict/threadsOpened';

const HOUR = 3_600_000;
const parent = (principal: string, seconds: number, counter: number): SlackChannelMessage => ({
  ts: `${seconds}.${String(counter).padStart(6, '0')}`,
  channel: 'C0TEST',
  broadcast: false,
  edits: 0,
  blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: `*Principal*\n\`${principal}\`` }] }],
});
const reply = (of: SlackChannelMessage): SlackChannelMessage => ({ ...of, ts: `${of.ts}9`, threadTs: of.ts });

describe('tallyThreads()', () => {
  it('counts one thread per principal and window, and replies not at all', () => {
    const a = parent('role/a', 1_000, 1);
    const b = parent('role/b', 1_001, 2);
    const tally = tallyThreads([a, b, reply(a), reply(b), reply(a)], HOUR);
    expect(tally).toEqual({
      threadsOpened: 2,
      threadPrincipals: 2,
      duplicateThreads: 0,
      maxThreadsPerPrincipalWindow: 1,
    });
  });

  it('counts a second parent of a principal inside the window as a duplicate, and one after it as a new window', () => {
    const tally = tallyThreads(
      [parent('role/a', 1_000, 1), parent('role/a', 1_100, 2), parent('role/a', 1_000 + 3_600, 3)],
      HOUR,
    );
    expect(tally.threadsOpened).toBe(3);
    expect(tally.duplicateThreads).toBe(1);
    expect(tally.maxThreadsPerPrincipalWindow).toBe(2);
  });
});

describe('postedSlackBodies()', () => {
  it('keeps accepted posts and leaves out chat.update edits and refused requests', () => {
    const bodies = postedSlackBodies({
      requests: [
        { path: '/api/chat.postMessage', accepted: true, body: 1 },
        { path: '/api/chat.update', accepted: true, body: 2 },
        { path: '/api/chat.postMessage', accepted: false, body: 3 },
        { path: '/webhook', accepted: true, body: 4 },
      ],
    });
    expect(bodies).toEqual([1, 4]);
  });
});
