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
