import type { SlackBlock, SlackText } from '@firstseen/notify';

/** Every text object of a Slack message body (header, section text and fields, context elements). */
export function slackTexts(message: {
  text?: unknown;
  blocks?: unknown;
}): { where: string; obj: SlackText }[] {
  const out: { where: string; obj: SlackText }[] = [];
  const blocks = (message.blocks ?? []) as SlackBlock[];
  blocks.forEach((b, i) => {
    if (b.type === 'header') out.push({ where: `blocks[${i}].header`, obj: b.text });
    if (b.type === 'section') {
      if (b.text) out.push({ where: `blocks[${i}].text`, obj: b.text });
      (b.fields ?? []).forEach((f, j) => {
        out.push({ where: `blocks[${i}].fields[${j}]`, obj: f });
      });
    }
    if (b.type === 'context')
      b.elements.forEach((e, j) => {
        out.push({ where: `blocks[${i}].elements[${j}]`, obj: e });
      });
  });
  return out;
}

/** Our own link and mention constructs; anything else in angle brackets is a defect. */
const ALLOWED =
  /<https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/cloudtrail\/home\?region=[a-z0-9-]+#\/events(?:\/[A-Za-z0-9%._~!*'()-]+)?\|Open in the CloudTrail console>|<@[UW][A-Z0-9]+>|<!subteam\^S[A-Z0-9]+>|<#[CGD][A-Z0-9]+>/g;

/**
 * Problems that would make a Slack message unsafe or rejected: a mention or link not built by
 * us, raw broadcast words, bidi or zero-width characters, or a text over Slack's limits.
 */
export function slackProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const blocks = (message.blocks ?? []) as SlackBlock[];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks`);
  const json = JSON.stringify(message);
  if (json.length > 40_000) problems.push(`payload ${json.length} chars`);
  // A lone surrogate cannot be sent as UTF-8: JSON.stringify escapes it, Slack rejects it.
  if (!allWellFormed(message)) problems.push('lone surrogate in the payload');
  blocks.forEach((b, i) => {
    if (b.type === 'section' && (b.fields?.length ?? 0) > 10) problems.push(`blocks[${i}]: > 10 fields`);
    if (b.type === 'actions') {
      if (b.block_id.length > 255) problems.push(`blocks[${i}]: block_id over 255`);
      for (const e of b.elements) {
        if (e.value.length > 2000) problems.push(`blocks[${i}]: button value over 2,000`);
        if (!e.value.isWellFormed()) problems.push(`blocks[${i}]: button value not well-formed`);
      }
    }
  });
  const all = [
    { where: 'text', obj: { type: 'mrkdwn', text: String(message.text ?? '') } as SlackText },
    ...slackTexts(message),
  ];
  for (const { where, obj } of all) {
    const t = obj.text;
    const limit = where.includes('fields') ? 2000 : where.endsWith('header') ? 150 : 3000;
    if (t.length > limit) problems.push(`${where}: ${t.length} chars > ${limit}`);
    if (t.length === 0) problems.push(`${where}: empty text (Slack rejects it)`);
    const stripped = t.replace(ALLOWED, '');
    if (/[<>]/.test(stripped)) problems.push(`${where}: raw < or > outside our own links and mentions`);
    if (/(^|[^＠])@(everyone|here|channel)\b/i.test(t)) problems.push(`${where}: raw broadcast word`);
    if (/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/.test(t)) problems.push(`${where}: bidi control`);
    if (/\u200B|\u200C|\u200D|\u2060|\uFEFF/.test(t)) problems.push(`${where}: zero-width character`);
    // Event data sits in code spans: a code span must not contain a newline or a backtick.
    for (const span of t.match(/`[^`]*`/g) ?? []) {
      if (/[\n\r]/.test(span)) problems.push(`${where}: newline inside a code span`);
    }
    if ((t.match(/`/g) ?? []).length % 2 !== 0) problems.push(`${where}: unbalanced backticks`);
    // Every & is the start of one of Slack's three escapes: anything else is an entity cut short.
    if (/&(?!amp;|lt;|gt;)/.test(t)) problems.push(`${where}: an entity cut short or a raw &`);
    if (!t.isWellFormed()) problems.push(`${where}: not well-formed UTF-16`);
  }
  return problems;
}

/** Every string in `value` (keys too) is well-formed UTF-16. */
export function allWellFormed(value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(allWellFormed);
  return Object.entries(value).every(([k, v]) => k.isWellFormed() && allWellFormed(v));
}
