import type { Severity } from '@firstseen/core';
import { codeSpan } from './inertText';
import { maxSeverity, SLACK_MAX_BLOCKS, type SlackBlock, type SlackMessage } from './renderSlack';

/** The running summary a thread's parent shows. */
export interface ThreadSummary {
  count: number;
  levels: readonly string[];
  highestSeverity: Severity;
  firstEventTime?: string;
  lastEventTime?: string;
}

const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high'];

/** Summary of a thread's recorded alerts (sets from the thread store). */
export function threadSummary(thread: {
  alertIds: readonly string[];
  levels: readonly string[];
  severities: readonly string[];
  eventTimes: readonly string[];
}): ThreadSummary {
  const severities = thread.severities
    .filter((s): s is Severity => (SEVERITIES as readonly string[]).includes(s))
    .map((severity) => ({ severity }));
  const times = [...thread.eventTimes].sort((a, b) => Date.parse(a) - Date.parse(b) || a.localeCompare(b));
  const summary: ThreadSummary = {
    count: new Set(thread.alertIds).size,
    levels: [...new Set(thread.levels)].sort(),
    highestSeverity: maxSeverity(severities),
  };
  if (times.length > 0) {
    summary.firstEventTime = times[0]!;
    summary.lastEventTime = times[times.length - 1]!;
  }
  return summary;
}

/** One context block: `Thread: 4 alerts · levels … · highest severity … · first … · last …`. */
export function renderThreadSummaryBlock(summary: ThreadSummary): SlackBlock {
  const parts = [
    `*Thread:* ${summary.count} alert${summary.count === 1 ? '' : 's'} (replies below)`,
    `*Levels* ${codeSpan(summary.levels.join(', ') || '-', 120)}`,
    `*Highest severity* ${codeSpan(summary.highestSeverity, 10)}`,
    `*First* ${codeSpan(summary.firstEventTime ?? '-', 60)}`,
    `*Last* ${codeSpan(summary.lastEventTime ?? '-', 60)}`,
  ];
  return { type: 'context', elements: [{ type: 'mrkdwn', text: parts.join(' · ') }] };
}

/** The parent message: the first group's message with the summary after its header, within Slack's block limit. */
export function withThreadSummary(parent: SlackMessage, summary: ThreadSummary): SlackMessage {
  const block = renderThreadSummaryBlock(summary);
  const at = parent.blocks[0]?.type === 'header' ? 1 : 0;
  const blocks = [...parent.blocks.slice(0, at), block, ...parent.blocks.slice(at)];
  return { text: parent.text, blocks: blocks.slice(0, SLACK_MAX_BLOCKS) };
}

/** The parent's original content from the message Slack holds: `withThreadSummary` undone. */
export function withoutThreadSummary(posted: { text?: string; blocks?: readonly unknown[] }): SlackMessage {
  const blocks = (posted.blocks ?? []).filter((b): b is SlackBlock => {
    if (!b || typeof b !== 'object' || typeof (b as { type?: unknown }).type !== 'string') return false;
    const block = b as SlackBlock;
    return !(block.type === 'context' && block.elements[0]?.text.startsWith('*Thread:*'));
  });
  return { text: posted.text ?? '', blocks };
}
