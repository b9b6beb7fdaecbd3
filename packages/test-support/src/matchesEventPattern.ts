/**
 * An EventBridge event-pattern matcher for tests, written from AWS's documentation of pattern
 * matching (EventBridge user guide, "Comparison operators for use in event patterns", and the
 * README of aws/event-ruler, the engine behind it). No maintained JavaScript implementation
 * exists on the npm registry; this one implements exactly the operators firstseen's rules use,
 * and throws on any other so a new operator cannot be tested against a guess:
 *
 * - every field named in a pattern must match (and); a field's array matches when any of its
 *   entries matches (or); when the event's value is an array, any element may match;
 * - literal strings, numbers, booleans and null match by equality of their JSON values;
 * - `prefix`, `suffix` and `wildcard` (`*` any run of characters) match strings only;
 * - `anything-but` (a value, a list of values, or `{prefix}` / `{suffix}` / `{wildcard}`) matches
 *   a present value that is none of those; it never matches an absent field;
 * - `exists: true` matches a present leaf, `exists: false` an absent one; a field whose value is
 *   an object is not a leaf, so it counts as absent for leaf operators;
 * - `$or` (an array of at least two pattern objects) matches when any of them matches at the
 *   same level.
 */
export function matchesEventPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return matchObject(pattern, event);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function matchObject(pattern: Record<string, unknown>, value: unknown): boolean {
  const candidates = Array.isArray(value) ? value : [value];
  return candidates.some((candidate) => matchOne(pattern, isPlainObject(candidate) ? candidate : undefined));
}

function matchOne(pattern: Record<string, unknown>, event: Record<string, unknown> | undefined): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2 || !sub.every(isPlainObject)) {
        throw new Error('$or must be an array of at least two pattern objects');
      }
      if (!sub.some((alternative) => matchOne(alternative, event))) return false;
      continue;
    }
    const field = event?.[key];
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, field)) return false;
    } else if (isPlainObject(sub)) {
      if (field === undefined || !isPlainObject(field)) {
        // A nested pattern over an absent (or non-object) field: only `exists: false` leaves can match.
        if (!matchOne(sub, undefined)) return false;
      } else if (!matchObject(sub, field)) {
        return false;
      }
    } else {
      throw new Error(`pattern field ${key} must be an array or an object`);
    }
  }
  return true;
}

function leafValues(field: unknown): unknown[] | undefined {
  if (field === undefined || isPlainObject(field)) return undefined;
  if (Array.isArray(field)) {
    const leaves = field.filter((v) => !isPlainObject(v) && !Array.isArray(v));
    return leaves.length > 0 ? leaves : undefined;
  }
  return [field];
}

function matchLeaf(matchers: unknown[], field: unknown): boolean {
  const values = leafValues(field);
  return matchers.some((m) => {
    if (isPlainObject(m) && 'exists' in m) {
      if (typeof m.exists !== 'boolean') throw new Error('exists takes true or false');
      return m.exists === (values !== undefined);
    }
    return values?.some((v) => matchValue(m, v)) ?? false;
  });
}

function wildcardRegExp(glob: string): RegExp {
  if (/\*\*/.test(glob)) throw new Error(`consecutive wildcards are not allowed: ${glob}`);
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${body}$`);
}

function stringTest(spec: Record<string, unknown>): ((s: string) => boolean) | undefined {
  if (typeof spec.prefix === 'string') {
    const p = spec.prefix;
    return (s) => s.startsWith(p);
  }
  if (typeof spec.suffix === 'string') {
    const p = spec.suffix;
    return (s) => s.endsWith(p);
  }
  if (typeof spec.wildcard === 'string') {
    const re = wildcardRegExp(spec.wildcard);
    return (s) => re.test(s);
  }
  return undefined;
}

function matchValue(matcher: unknown, value: unknown): boolean {
  if (!isPlainObject(matcher)) return JSON.stringify(matcher) === JSON.stringify(value);
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new Error(`one operator per matcher: ${JSON.stringify(matcher)}`);
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    if (isPlainObject(but)) {
      const test = stringTest(but);
      if (test === undefined || Object.keys(but).length !== 1) {
        throw new Error(`unsupported anything-but: ${JSON.stringify(but)}`);
      }
      return typeof value === 'string' && !test(value);
    }
    const excluded = (Array.isArray(but) ? but : [but]).map((v) => JSON.stringify(v));
    return !excluded.includes(JSON.stringify(value));
  }
  const test = stringTest(matcher);
  if (test === undefined) throw new Error(`unsupported operator: ${JSON.stringify(matcher)}`);
  return typeof value === 'string' && test(value);
}
