import type { IgnoreRules } from '@firstseen/core';

/**
 * The part of the member accounts' forwarding pattern that keeps, in the member account, every
 * event the detector is certain to ignore (docs/semantics.md "Input"), so it is never billed as
 * a cross-account event (issue 17: EventBridge is the largest line of the bill):
 *
 * - identity types the detector never learns from: AWSService, AWSAccount, Unknown, a missing
 *   type, and the config's `ignore.identityTypes` given as exact names;
 * - service-linked roles (`sessionIssuer.arn` under `:role/aws-service-role/`);
 * - read-only events under `write-only` coverage (`readOnly` is true, or not false and present);
 * - `ignore.actions`, `ignore.accounts` and `ignore.regions` where a glob translates exactly to
 *   an EventBridge operator: an exact value, or one `*` wildcard per field (our `*` and
 *   EventBridge's both match any run of characters, `/` included).
 *
 * A rule that cannot be translated exactly (`?`, a backslash, several wildcard globs on one
 * field, `ignore.principals`, identity-type globs) stays in the detector only and is listed in
 * `untranslated`, so `pulumi up` can say so. Forwarding an event the detector then ignores
 * costs money; dropping one it would observe would blind it, so every translation is exact or
 * left out.
 */
export interface SourceFilter {
  /** Pattern fields to merge into the forwarding rule's pattern (`detail` and a root `$or`). */
  pattern: Record<string, unknown>;
  /** The ignore rules that stay in the detector only, as `ignore.<field>: <glob>`. */
  untranslated: string[];
}

export interface SourceFilterOptions {
  coverage: 'all' | 'write-only';
  ignore: Partial<IgnoreRules>;
}

/** Identity types the detector ignores whatever the config (docs/semantics.md "Principal"). */
export const IGNORED_IDENTITY_TYPES = ['AWSService', 'AWSAccount', 'Unknown'] as const;

/** EventBridge's default limit on an event pattern's length, in characters. */
export const MAX_PATTERN_CHARS = 2048;

/** Alternatives ("any of"), each a pattern object relative to `detail`. */
type Group = Record<string, unknown>[];

/** A glob as an EventBridge string matcher: exact, or one wildcard; undefined when not exact. */
function translateGlob(glob: string): { exact: string } | { wildcard: string } | undefined {
  if (glob.includes('?') || glob.includes('\\') || glob.includes('**')) return undefined;
  return glob.includes('*') ? { wildcard: glob } : { exact: glob };
}

/**
 * "Not any of these globs" for one field, as one anything-but matcher: a list of exact values,
 * or a single wildcard. Undefined when the globs need more than one matcher.
 */
function anythingBut(globs: readonly string[]): Record<string, unknown> | undefined {
  const parts = globs.map(translateGlob);
  if (parts.some((p) => p === undefined)) return undefined;
  const wildcards = parts.filter((p): p is { wildcard: string } => p !== undefined && 'wildcard' in p);
  const exact = parts.filter((p): p is { exact: string } => p !== undefined && 'exact' in p);
  if (wildcards.length === 0) return { 'anything-but': exact.map((p) => p.exact) };
  if (wildcards.length === 1 && exact.length === 0)
    return { 'anything-but': { wildcard: wildcards[0]!.wildcard } };
  return undefined;
}

/** Sets a leaf at a dotted path inside a pattern object. */
function put(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/**
 * The conjunction of several "any of" groups as nested `$or`s, each next one inside every
 * alternative of the one before (EventBridge allows one `$or` per object).
 */
function conjoin(groups: Group[]): Record<string, unknown> {
  if (groups.length === 0) return {};
  const [first, ...rest] = groups;
  const inner = conjoin(rest);
  return {
    $or: first!.map((alternative) =>
      Object.keys(inner).length === 0 ? alternative : { ...alternative, ...inner },
    ),
  };
}

export function sourceFilter(options: SourceFilterOptions): SourceFilter {
  const ignore = options.ignore;
  const untranslated: string[] = [];
  const pattern: Record<string, unknown> = {};
  const groups: Group[] = [];

  // Identity types: exact names only (a glob such as `IAM*` stays in the detector).
  const exactTypes = (ignore.identityTypes ?? []).filter((g) => {
    const t = translateGlob(g);
    if (t !== undefined && 'exact' in t) return true;
    untranslated.push(`ignore.identityTypes: ${g}`);
    return false;
  });
  put(pattern, 'detail.userIdentity.type', [
    { 'anything-but': [...new Set([...IGNORED_IDENTITY_TYPES, ...exactTypes])] },
  ]);

  // Service-linked roles: the issuer's ARN, when there is one, is not under aws-service-role/.
  put(pattern, 'detail.userIdentity.sessionContext.sessionIssuer', {
    $or: [
      { arn: [{ exists: false }] },
      { arn: [{ 'anything-but': { wildcard: '*:role/aws-service-role/*' } }] },
    ],
  });

  if (options.coverage === 'write-only') {
    groups.push([{ readOnly: [false] }, { readOnly: [{ exists: false }] }]);
  }

  const regions = ignore.regions ?? [];
  if (regions.length > 0) {
    const matcher = anythingBut(regions);
    if (matcher === undefined) untranslated.push(...regions.map((g) => `ignore.regions: ${g}`));
    else put(pattern, 'detail.awsRegion', [matcher]);
  }

  // The detector's account is userIdentity.accountId, else recipientAccountId.
  const accounts = ignore.accounts ?? [];
  if (accounts.length > 0) {
    const matcher = anythingBut(accounts);
    if (matcher === undefined) untranslated.push(...accounts.map((g) => `ignore.accounts: ${g}`));
    else {
      groups.push([
        { userIdentity: { accountId: [matcher] } },
        { userIdentity: { accountId: [{ exists: false }] }, recipientAccountId: [matcher] },
      ]);
    }
  }

  // Actions `<eventSource>:<eventName>`: by source, "not this source, or this source and not
  // these names"; a source glob must be exact (or `*`, for a name rule on every source).
  const actions = ignore.actions ?? [];
  if (actions.length > 0) {
    const bySource = new Map<string, string[]>();
    const anySource: string[] = [];
    let translatable = true;
    for (const glob of actions) {
      const colon = glob.indexOf(':');
      const source = colon < 0 ? undefined : glob.slice(0, colon);
      const name = colon < 0 ? undefined : glob.slice(colon + 1);
      if (source === undefined || name === undefined || name === '' || name.includes(':')) {
        translatable = false;
      } else if (source === '*') {
        anySource.push(name);
      } else if (translateGlob(source) !== undefined && !source.includes('*')) {
        bySource.set(source, [...(bySource.get(source) ?? []), name]);
      } else {
        translatable = false;
      }
    }
    const nameMatchers = [...bySource.values()].map((names) => anythingBut(names));
    const anyNameMatcher = anySource.length > 0 ? anythingBut(anySource) : undefined;
    if (
      !translatable ||
      nameMatchers.some((m) => m === undefined) ||
      (anySource.length > 0 && !anyNameMatcher)
    ) {
      untranslated.push(...actions.map((g) => `ignore.actions: ${g}`));
    } else {
      if (anyNameMatcher !== undefined) put(pattern, 'detail.eventName', [anyNameMatcher]);
      if (bySource.size > 0) {
        const sources = [...bySource.keys()];
        groups.push([
          { eventSource: [{ 'anything-but': sources }] },
          ...sources.map((source, i) => ({ eventSource: [source], eventName: [nameMatchers[i]!] })),
        ]);
      }
    }
  }

  for (const glob of ignore.principals ?? []) untranslated.push(`ignore.principals: ${glob}`);
  // The largest group goes to the root (its alternatives under `detail`), the others, nested
  // into one another smallest first, to `detail`: each nesting copies the inner group into every
  // alternative of the outer one, so nesting the small groups keeps the pattern short.
  const [largest, ...others] = [...groups].sort((a, b) => b.length - a.length);
  if (largest !== undefined) pattern.$or = largest.map((alternative) => ({ detail: alternative }));
  if (others.length > 0) Object.assign(pattern.detail as Record<string, unknown>, conjoin(others.reverse()));
  return { pattern, untranslated };
}

/** Deep-merges the source filter into a rule's base pattern (base fields win nowhere: they are disjoint). */
export function withSourceFilter(
  base: Record<string, unknown>,
  filter: SourceFilter,
): Record<string, unknown> {
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const existing = out[k];
      if (k === '$or' && existing !== undefined) throw new Error('both patterns have a root $or');
      out[k] =
        existing !== null &&
        typeof existing === 'object' &&
        !Array.isArray(existing) &&
        typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v)
          ? merge(existing as Record<string, unknown>, v as Record<string, unknown>)
          : v;
    }
    return out;
  };
  const pattern = merge(base, filter.pattern);
  const length = JSON.stringify(pattern).length;
  if (length > MAX_PATTERN_CHARS) {
    throw new Error(
      `the forwarding rule's event pattern would be ${length} characters, over EventBridge's ${MAX_PATTERN_CHARS}: ` +
        'shorten ignore.actions, ignore.accounts or ignore.regions (the detector applies them anyway)',
    );
  }
  return pattern;
}
