/**
 * Glob matching for ignore rules, routing, severity rules and owners (docs/semantics.md): `*` matches
 * any run of characters including `/`, `?` exactly one character; everything else is literal.
 * Matching is case-sensitive, over the whole string.
 */
const compiled = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (re === undefined) {
    let src = '';
    for (const ch of glob) {
      if (ch === '*') src += '.*';
      else if (ch === '?') src += '.';
      else src += ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, 's');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(glob, re);
  }
  return re;
}

export function matchesGlob(value: string, glob: string): boolean {
  return globToRegExp(glob).test(value);
}

/** True when `value` matches any of `globs`. */
export function matchesAnyGlob(value: string, globs: readonly string[]): boolean {
  for (const g of globs) if (globToRegExp(g).test(value)) return true;
  return false;
}
