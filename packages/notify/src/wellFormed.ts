import type { AlertRecord } from './types';

/**
 * A copy of `value` in which every string, object keys included, is well-formed UTF-16: each
 * lone surrogate becomes U+FFFD. An event's JSON may carry `\ud800`, which the strict UTF-8
 * decoder lets through; such a string makes `encodeURIComponent` throw and cannot be encoded
 * as UTF-8 for Slack or PagerDuty. Values without a lone surrogate are returned as they are.
 */
export function wellFormedDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return (value.isWellFormed() ? value : value.toWellFormed()) as T;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const w = wellFormedDeep(v, depth + 1);
      if (w !== v) changed = true;
      return w;
    });
    return (changed ? out : value) as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    // Sets and other objects from unmarshalling render as JSON would see them: their own entries.
    return value;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.isWellFormed() ? k : k.toWellFormed();
    const w = wellFormedDeep(v, depth + 1);
    if (key !== k || w !== v) changed = true;
    out[key] = w;
  }
  return (changed ? out : value) as T;
}

/** The alert with every string well-formed (see wellFormedDeep); the same object when it already is. */
export function wellFormedAlert<A extends AlertRecord>(alert: A): A {
  return wellFormedDeep(alert);
}
