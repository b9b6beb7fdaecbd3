import {
  codeSpan,
  inertMrkdwn,
  renderSlackGroup,
  type SlackBlock,
  type SlackMessage,
} from '@firstseen/notify';
import type { Interaction } from './parseInteraction';
import type { Decision, TriageAlert } from './types';

const LABEL: Record<Decision['decision'], string> = {
  expected: ':white_check_mark: *Expected*',
  suspicious: ':rotating_light: *Suspicious*',
  snooze: ':zzz: *Snoozed*',
};

/** One line saying what was decided, by whom and when; every value is inert. */
export function decisionText(decision: Decision, alert: Pick<TriageAlert, 'principal' | 'action'>): string {
  const who = `<@${decision.userId.replace(/[^A-Z0-9]/gi, '')}>${
    decision.userName ? ` (${inertMrkdwn(decision.userName, 80)})` : ''
  }`;
  const parts = [`${LABEL[decision.decision]} by ${who} at ${codeSpan(decision.at, 40)}`];
  if (decision.decision === 'expected' && decision.suppressedUntil) {
    parts.push(
      `${codeSpan(alert.principal, 150)} calling ${codeSpan(alert.action, 150)} no longer alerts until ${codeSpan(decision.suppressedUntil, 40)}`,
    );
  }
  if (decision.decision === 'snooze' && decision.suppressedUntil) {
    parts.push(
      `alerts for ${codeSpan(alert.principal, 150)} snoozed until ${codeSpan(decision.suppressedUntil, 40)} (sensitive actions still alert)`,
    );
  }
  if (decision.escalation === 'sent') parts.push('escalated to PagerDuty (high)');
  if (decision.escalation === 'already-escalated') parts.push('already escalated to PagerDuty');
  if (decision.escalation === 'failed') parts.push('escalation to PagerDuty FAILED: click Suspicious again');
  return parts.join(' · ');
}

/**
 * The alert message after a decision: the message Slack sent with the click, with that alert's
 * buttons replaced by the decision (other alerts of a group keep theirs); without the original
 * blocks, the alert rendered anew. Failed escalations keep the buttons so the click can be retried.
 */
export function renderDecisionMessage(
  interaction: Pick<Interaction, 'blockId' | 'messageBlocks' | 'messageText'>,
  decision: Decision,
  alert: TriageAlert,
): SlackMessage {
  const decided: SlackBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: decisionText(decision, alert) },
  };
  const original = interaction.messageBlocks as SlackBlock[] | undefined;
  const keepButtons = decision.escalation === 'failed';
  if (original && original.length > 0) {
    const blocks: SlackBlock[] = [];
    let placed = false;
    for (const b of original) {
      const isOurs =
        b.type === 'actions' && interaction.blockId !== undefined && b.block_id === interaction.blockId;
      if (isOurs) {
        blocks.push(decided);
        if (keepButtons) blocks.push(b);
        placed = true;
      } else {
        blocks.push(b);
      }
    }
    if (!placed) blocks.push(decided);
    return { text: interaction.messageText ?? 'firstseen alert', blocks: blocks.slice(0, 50) };
  }
  const rendered = renderSlackGroup([alert]);
  return { text: rendered.text, blocks: [...rendered.blocks, decided].slice(0, 50) };
}

/** A plain-text view of a message's blocks (logs, the README's before/after example). */
export function blocksAsText(message: SlackMessage): string {
  const lines: string[] = [];
  for (const b of message.blocks) {
    if (b.type === 'header') lines.push(`# ${b.text.text}`);
    else if (b.type === 'section') {
      if (b.text) lines.push(b.text.text);
      if (b.fields) lines.push(b.fields.map((f) => f.text.replace('\n', ' ')).join(' | '));
    } else if (b.type === 'context') lines.push(`  ${b.elements.map((e) => e.text).join(' ')}`);
    else if (b.type === 'divider') lines.push('---');
    else if (b.type === 'actions') lines.push(b.elements.map((e) => `[ ${e.text.text} ]`).join(' '));
  }
  return lines.join('\n');
}
