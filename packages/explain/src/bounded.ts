/** `value` cut to at most `max` UTF-16 units (by code point, ending with `…` when cut). */
export function bounded(value: string, max: number): string {
  if (value.length <= max) return value;
  let out = '';
  for (const ch of value) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

// C0/C1 controls, bidi controls and zero-width characters: never inside a sentence we write.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff`]/g;

/**
 * An attacker-controlled string (user agent, resource name) made fit to quote inside an
 * explanation: controls, bidi and zero-width characters and backticks replaced by `?`, then
 * bounded to `max`.
 */
export function inert(value: string, max: number): string {
  return bounded(value.slice(0, max * 2).replace(UNSAFE, '?'), max);
}
