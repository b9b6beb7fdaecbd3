import type { Config } from '@firstseen/core';
import type { SlackChannelMessage } from '@firstseen/local-stack';

/** How many Slack threads a run opened, against one per principal and thread window. */
export interface ThreadTally {
  /** Top-level messages (thread parents) the receiver holds. */
  threadsOpened: number;
  /** Distinct principals with at least one thread. */
  threadPrincipals: number;
  /** Thread parents beyond one per principal and window: a second thread for the same conversation. */
  duplicateThreads: number;
  /** Most threads one principal opened within one window (1 when threading holds). */
  maxThreadsPerPrincipalWindow: number;
}

/** The principal a thread parent names: the first `*Principal*` field of renderSlackGroup. */
function principalOf(message: SlackChannelMessage): string | undefined {
  const text = JSON.stringify(message.blocks ?? '');
  return text.match(/\*Principal\*\\n`([^`]+)`/)?.[1];
}

/**
 * Counts thread parents per principal and window from what the Slack receiver holds: a parent
 * posted within `windowMs` of the principal's previous thread's opening is a duplicate. The
 * parent's `ts` carries its posting second (`<epoch seconds>.<counter>`), which is the window's
 * clock here: the run lasts minutes, the window an hour.
 */
export function tallyThreads(messages: readonly SlackChannelMessage[], windowMs: number): ThreadTally {
  const opened = new Map<string, number[]>();
  let threadsOpened = 0;
  for (const m of messages) {
    if (m.threadTs !== undefined) continue;
    threadsOpened += 1;
    const principal = principalOf(m) ?? `(unnamed ${m.ts})`;
    const times = opened.get(principal) ?? [];
    times.push(Number.parseFloat(m.ts) * 1000);
    opened.set(principal, times);
  }
  let duplicateThreads = 0;
  let maxThreadsPerPrincipalWindow = 0;
  for (const times of opened.values()) {
    times.sort((a, b) => a - b);
    let windowStart = Number.NEGATIVE_INFINITY;
    let inWindow = 0;
    for (const t of times) {
      if (t - windowStart >= windowMs) {
        windowStart = t;
        inWindow = 1;
      } else {
        inWindow += 1;
        duplicateThreads += 1;
      }
      maxThreadsPerPrincipalWindow = Math.max(maxThreadsPerPrincipalWindow, inWindow);
    }
  }
  return { threadsOpened, threadPrincipals: opened.size, duplicateThreads, maxThreadsPerPrincipalWindow };
}

/**
 * The Slack bodies that show alerts as messages: every accepted post (webhook or
 * chat.postMessage), not chat.update, which edits a thread's parent in place.
 */
export function postedSlackBodies(receiver: {
  requests: readonly { path: string; accepted: boolean; body: unknown }[];
}): unknown[] {
  return receiver.requests.filter((r) => r.accepted && r.path !== '/api/chat.update').map((r) => r.body);
}

/** The thread window of the config's `slack` destination (60 minutes unless configured). */
export function slackThreadWindowMs(config: Config): number {
  const slack = config.routing.destinations['slack'];
  return (slack?.type === 'slack' ? slack.threadWindowMinutes : 60) * 60_000;
}
