/**
 * Making attacker-controlled strings inert in Slack mrkdwn and bounded in length.
 *
 * Slack parses `<...>` as links and mentions (`<!channel>`, `<@U…>`, `<https://x|click>`) and
 * asks senders to escape `&`, `<`, `>`; `@everyone`-style words become mentions with
 * `link_names`; backticks end code spans; newlines and bidi controls let a value forge layout.
 * Every event-derived value is therefore: stripped of zero-width characters, its bidi and
 * other control characters replaced by U+FFFD, its line breaks by `↵`, its backticks by `ˋ`,
 * `@everyone|@here|@channel` defused with a full-width `＠`, then `&<>` escaped, and shown
 * inside an inline code span, where Slack applies no formatting, links or mentions.
 */

// Zero-width characters (ZWJ too: breaking emoji sequences is a fair price for inert text).
const ZERO_WIDTH = /\u200B|\u200C|\u200D|\u2060|\uFEFF|\u180E|\u00AD/g;
// Bidi embeddings, overrides, isolates and marks (incl. U+202E RTL override).
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029\u000B\u000C]/g;
const CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g;
// No word boundary: `@channel0` cut to `@channel…` by a length bound would become the word.
const BROADCAST = /@(everyone|here|channel)/gi;

/** Neutralises a string (see the module comment) without escaping; the result is still raw text. */
export function neutralise(value: string): string {
  return value
    .replace(ZERO_WIDTH, '')
    .replace(BIDI, '\uFFFD')
    .replace(LINE_BREAKS, '↵')
    .replace(CONTROLS, '\uFFFD')
    .replace(/\t/g, ' ')
    .replace(/`/g, 'ˋ')
    .replace(BROADCAST, '＠$1');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Slack's three mandatory escapes. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Neutralises and escapes `value` so that the escaped result has at most `maxChars` UTF-16
 * units (ending with `…` when cut). Cutting happens on the raw text, by code point, so an
 * entity or a surrogate pair is never split.
 */
export function inertMrkdwn(value: string, maxChars: number): string {
  const clean = neutralise(value);
  const full = escapeMrkdwn(clean);
  if (full.length <= maxChars) return full;
  let out = '';
  const budget = maxChars - 1;
  for (const ch of clean) {
    const piece = ESCAPES[ch] ?? ch;
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return `${out}…`;
}

/** An inert inline code span of at most `maxChars` characters, backticks included. */
export function codeSpan(value: string, maxChars: number): string {
  const inner = inertMrkdwn(value, Math.max(1, maxChars - 2));
  return inner.length === 0 ? '`-`' : `\`${inner}\``;
}

/** Truncates plain text (neutralised, unescaped) to `maxChars` UTF-16 units, by code point. */
export function boundedPlain(value: string, maxChars: number): string {
  const clean = neutralise(value);
  if (clean.length <= maxChars) return clean;
  let out = '';
  for (const ch of clean) {
    if (out.length + ch.length > maxChars - 1) break;
    out += ch;
  }
  return `${out}…`;
}
