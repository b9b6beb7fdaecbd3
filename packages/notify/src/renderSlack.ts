import { describeAccount, evidenceItems, type Owner, type Severity } from '@firstseen/core';
import { cloudTrailEventUrl } from './consoleLink';
import { codeSpan, escapeMrkdwn, inertMrkdwn } from './inertText';
import { ownerMentions, ownersFor } from './ownersFor';
import { renderTriageActions, type SlackActionsBlock, type TriageActionOptions } from './renderTriageActions';
import type { AlertRecord } from './types';
import { wellFormedAlert } from './wellFormed';

/** Slack limits (Block Kit reference): 50 blocks, 3,000 chars a text object, 2,000 a field, 150 a header. */
export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_TEXT = 3000;
export const SLACK_MAX_FIELD = 2000;
export const SLACK_MAX_HEADER = 150;
export const SLACK_MAX_FIELDS = 10;
/** Our bound for a whole message's JSON, well under what webhooks and chat.postMessage accept. */
export const SLACK_MAX_PAYLOAD_CHARS = 40_000;
/** Alerts shown in full in one group message; the rest are listed by id. */
export const SLACK_MAX_ALERTS_SHOWN = 10;

export type SlackText = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }
  | SlackActionsBlock;

export interface SlackMessage {
  /** Notification fallback; holds no event data. */
  text: string;
  blocks: SlackBlock[];
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

export function maxSeverity(alerts: readonly { severity: Severity }[]): Severity {
  let s: Severity = 'low';
  for (const a of alerts) if (SEVERITY_RANK[a.severity] > SEVERITY_RANK[s]) s = a.severity;
  return s;
}

const md = (text: string): SlackText => ({ type: 'mrkdwn', text });

/** `*Label*\n`value`` with the value inert and the whole within `max` characters. */
function field(label: string, value: string | undefined, max = 300): SlackText {
  const head = `*${label}*\n`;
  return md(
    head +
      (value === undefined || value === ''
        ? '-'
        : codeSpan(value, Math.min(max, SLACK_MAX_FIELD - head.length))),
  );
}

/** `*Account*\n`name (id)`` and, when the directory has it, the OU path on its own line. */
function accountField(alert: AlertRecord): SlackText {
  const label = codeSpan(describeAccount(alert.account, alert.accountInfo), 200);
  const ou = alert.accountInfo?.ouPath;
  return md(`*Account*\n${label}${ou ? `\n${codeSpan(ou, 300)}` : ''}`);
}

function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '[unserialisable]';
  }
}

/**
 * The leading pieces that fit in `max` characters joined by `sep`, each piece whole: a piece
 * is never cut, so a code span or an entity is never split. `more(n)` may append a note on the
 * n pieces left out (only when it fits too).
 */
function joinWhole(
  pieces: readonly string[],
  sep: string,
  max: number,
  more?: (n: number) => string,
): string {
  let out = '';
  let used = 0;
  for (const piece of pieces) {
    const next = used === 0 ? piece : `${out}${sep}${piece}`;
    if (next.length > max) break;
    out = next;
    used += 1;
  }
  const left = pieces.length - used;
  if (left > 0 && more) {
    const note = used === 0 ? more(left) : `${out}${sep}${more(left)}`;
    if (note.length <= max) out = note;
  }
  return out;
}

function alertBlocks(alert: AlertRecord): SlackBlock[] {
  const blocks: SlackBlock[] = [
    {
      type: 'section',
      fields: [
        field('Principal', alert.principal),
        field('Action', alert.action),
        accountField(alert),
        field('Region', alert.region, 40),
        field('Levels', alert.levels.join(', '), 60),
        field(
          'Severity',
          alert.severityRule ? `${alert.severity} (${alert.severityRule})` : alert.severity,
          80,
        ),
        field('Session name', alert.sessionName),
        field('Source identity', alert.sourceIdentity),
        field('Source IP', alert.sourceIPAddress, 100),
        field('Error code', alert.errorCode, 200),
      ].slice(0, SLACK_MAX_FIELDS),
    },
  ];
  const link = `<${cloudTrailEventUrl(alert.region, alert.eventId)}|Open in the CloudTrail console>`;
  const lines = [
    `*Event time* ${codeSpan(alert.eventTime, 60)}  *Event id* ${codeSpan(alert.eventId, 120)}  ${link}`,
    `*User agent* ${codeSpan(alert.userAgent ?? '-', 400)}`,
  ];
  if (alert.resource) lines.push(`*Resource* ${codeSpan(alert.resource, 300)}`);
  const evidence = evidenceLine(alert);
  if (evidence) lines.push(`*Evidence* ${evidence}`);
  if (alert.previousSeen) lines.push(`*Previously seen* ${codeSpan(alert.previousSeen, 60)}`);
  if (alert.errorMessage) lines.push(`*Error message* ${codeSpan(alert.errorMessage, 500)}`);
  if (alert.requestParameters !== undefined && alert.requestParameters !== null) {
    lines.push(`*Request parameters* ${codeSpan(compactJson(alert.requestParameters), 700)}`);
  }
  // Whole lines only: the section stays within Slack's limit without cutting a span or a link.
  blocks.push({ type: 'section', text: md(joinWhole(lines, '\n', SLACK_MAX_TEXT)) });
  const explanation = alert.context['explanation'];
  if (typeof explanation === 'string' && explanation !== '') {
    const head = `*Likely explanation* ${codeSpan(explanation, 1200)}`;
    const facts = factPairs(alert.context['facts']);
    const factsHead = '\n*Facts* ';
    const text =
      facts.length > 0 && head.length + factsHead.length < SLACK_MAX_TEXT
        ? head +
          factsHead +
          joinWhole(facts, ' · ', SLACK_MAX_TEXT - head.length - factsHead.length, (n) => `…and ${n} more`)
        : head;
    blocks.push({ type: 'section', text: md(text) });
  }
  return blocks;
}

/**
 * The alert's evidence (target, access key, MFA, access, role chain) as `label `value`` pairs,
 * every value inert and bounded; undefined when there is none. At most ~2,200 characters.
 */
function evidenceLine(alert: AlertRecord): string | undefined {
  const items = evidenceItems(alert.evidence, alert.sourceIdentity).slice(0, 12);
  if (items.length === 0) return undefined;
  return items.map((i) => `${inertMrkdwn(i.label, 30)} ${codeSpan(i.value, 160)}`).join(' · ');
}

const MAX_FACTS = 14;

/**
 * The explain feature's facts as `name `value`` pairs (leaves of the object, two levels deep),
 * names and values inert like every event-derived string.
 */
function factPairs(facts: unknown): string[] {
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) return [];
  const pairs: string[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    if (pairs.length >= MAX_FACTS) return;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (depth >= 2) return;
      for (const [k, v] of Object.entries(value).slice(0, MAX_FACTS))
        visit(v, path ? `${path}.${k}` : k, depth + 1);
      return;
    }
    if (value === undefined || value === null || Array.isArray(value)) return;
    pairs.push(`${inertMrkdwn(path, 60)} ${codeSpan(String(value), 160)}`);
  };
  visit(facts, '', 0);
  return pairs;
}

/** Whom to say hi to: the session name and source identity of the group's first alert, inert. */
function whoOf(alert: AlertRecord): string {
  const who = [alert.sessionName, alert.sourceIdentity].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  return who.length > 0 ? ` (${[...new Set(who)].map((w) => codeSpan(w, 120)).join(', ')})` : '';
}

/**
 * One Block Kit message for a group of alerts (one principal in one batch). Event data only
 * ever appears inside inert code spans; the only mentions are the owners' config IDs.
 */
export function renderSlackGroup(
  input: readonly AlertRecord[],
  owners: readonly Owner[] = [],
  options: TriageActionOptions = {},
): SlackMessage {
  if (input.length === 0) throw new RangeError('renderSlackGroup needs at least one alert');
  const alerts = input.map(wellFormedAlert);
  const severity = maxSeverity(alerts);
  const n = alerts.length;
  const title = `First seen: ${n} new action${n === 1 ? '' : 's'} (${severity})`;
  const first = alerts[0]!;
  const matched = ownersFor(first.principal, owners);
  const mentions = ownerMentions(matched);
  const teams = matched.map((o) => o.team).filter((t): t is string => typeof t === 'string');

  const build = (shown: number): SlackMessage => {
    const blocks: SlackBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, SLACK_MAX_HEADER) } },
    ];
    if (mentions.length > 0 || teams.length > 0) {
      const teamText = teams.length > 0 ? ` (${inertMrkdwn(teams.join(', '), 200)})` : '';
      const prompt = `\nCould you say hi to whoever did this${whoOf(first)} and confirm it was expected? Thanks!`;
      blocks.push({
        type: 'section',
        // Whole mentions only: a cut one would leave a raw `<` in the message.
        text: md(
          `${joinWhole(['*Owner*', ...mentions], ' ', SLACK_MAX_TEXT - teamText.length - prompt.length)}${teamText}${prompt}`,
        ),
      });
    }
    alerts.slice(0, shown).forEach((a, i) => {
      if (i > 0) blocks.push({ type: 'divider' });
      // A button carries the alert id back to the triage endpoint: only an id that is its own
      // well-formed copy can find its alert there.
      const buttons = a.alertId === input[i]!.alertId ? renderTriageActions(a, i, options) : [];
      blocks.push(...alertBlocks(a), ...buttons);
    });
    const rest = alerts.slice(shown);
    if (rest.length > 0) {
      blocks.push(...idListBlocks(`…and ${rest.length} more alert${rest.length === 1 ? '' : 's'}:`, rest, 5));
    }
    blocks.push({
      type: 'context',
      elements: [md(`firstseen · ${n} alert${n === 1 ? '' : 's'} · severity ${severity}`)],
    });
    return { text: title, blocks: blocks.slice(0, SLACK_MAX_BLOCKS) };
  };

  let shown = Math.min(n, SLACK_MAX_ALERTS_SHOWN);
  let msg = build(shown);
  while (
    shown > 1 &&
    (msg.blocks.length >= SLACK_MAX_BLOCKS || JSON.stringify(msg).length > SLACK_MAX_PAYLOAD_CHARS)
  ) {
    shown -= 1;
    msg = build(shown);
  }
  return msg;
}

/** Sections listing alert ids as inert code spans, each within 3,000 chars, at most `maxBlocks`. */
function idListBlocks(heading: string, alerts: readonly AlertRecord[], maxBlocks: number): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let text = `*${escapeMrkdwn(heading)}*\n`;
  let listed = 0;
  for (const a of alerts) {
    const piece = `${codeSpan(a.alertId, 130)} `;
    if (text.length + piece.length > SLACK_MAX_TEXT - 60) {
      if (blocks.length === maxBlocks - 1) break;
      blocks.push({ type: 'section', text: md(text) });
      text = '';
    }
    text += piece;
    listed += 1;
  }
  const left = alerts.length - listed;
  if (left > 0) text += `\n…and ${left} more (see the alerts table)`;
  blocks.push({ type: 'section', text: md(text) });
  return blocks;
}

/**
 * The storm summary: counts by severity and principal, and the ids of every alert it covers
 * (as many as fit in Slack's limits; the rest are counted).
 */
export function renderSlackStormSummary(
  input: readonly AlertRecord[],
  thresholdPerMinute: number,
): SlackMessage {
  const alerts = input.map(wellFormedAlert);
  const n = alerts.length;
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  const byPrincipal = new Map<string, number>();
  for (const a of alerts) {
    bySeverity[a.severity] += 1;
    byPrincipal.set(a.principal, (byPrincipal.get(a.principal) ?? 0) + 1);
  }
  const title = `Alert storm: ${n} first-seen alert${n === 1 ? '' : 's'} summarised`;
  const top = [...byPrincipal.entries()].sort((x, y) => y[1] - x[1]).slice(0, 15);
  const principalLines = top.map(([p, c]) => `${c} × ${codeSpan(p, 150)}`);
  if (byPrincipal.size > top.length)
    principalLines.push(`…and ${byPrincipal.size - top.length} more principals`);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, SLACK_MAX_HEADER) } },
    {
      type: 'section',
      text: md(
        `More than ${thresholdPerMinute} messages a minute for this destination: one summary instead of many.\n` +
          `*By severity* high ${bySeverity.high} · medium ${bySeverity.medium} · low ${bySeverity.low}`,
      ),
    },
    {
      type: 'section',
      text: md(`*By principal*\n${joinWhole(principalLines, '\n', SLACK_MAX_TEXT - 20)}`),
    },
  ];
  // 10 sections of ids (~3,000 chars each) keep the message under SLACK_MAX_PAYLOAD_CHARS.
  blocks.push(...idListBlocks(`Alert ids (${n})`, alerts, 10));
  blocks.push({ type: 'context', elements: [md('firstseen · storm control')] });
  let msg: SlackMessage = { text: title, blocks };
  while (JSON.stringify(msg).length > SLACK_MAX_PAYLOAD_CHARS && msg.blocks.length > 4) {
    const trimmed = [...msg.blocks];
    trimmed.splice(trimmed.length - 2, 1);
    msg = { text: title, blocks: trimmed };
  }
  return msg;
}
