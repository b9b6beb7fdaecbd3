import type { KeyLevel, LevelKey, ObservedEvent } from './types';

/** Refresh interval of each key level (DESIGN.md "Levels and keys"). */
export const REFRESH_DAYS: Readonly<Record<KeyLevel, number>> = { account: 30, role: 1, region: 30 };

export const DAY_MS = 86_400_000;

// Key parts are joined with '#'; a part that itself holds '#' or '%' is percent-encoded so
// that no attacker-chosen name (a SAML user name, say) can make two keys collide.
function part(s: string): string {
  return s.includes('#') || s.includes('%') ? s.replace(/%/g, '%25').replace(/#/g, '%23') : s;
}

/** The three stored level keys of an event, in DESIGN.md's order: account, role, region. */
export function levelKeys(e: Pick<ObservedEvent, 'account' | 'principal' | 'action' | 'region'>): LevelKey[] {
  const p = part(e.principal);
  const a = part(e.action);
  return [
    { level: 'account', pk: `a#${part(e.account)}#${p}#${a}` },
    { level: 'role', pk: `r#${p}#${a}` },
    { level: 'region', pk: `g#${p}#${part(e.region)}#${a}` },
  ];
}

/** The partition key of a principal's first-sighting item. */
export function principalKey(principal: string): string {
  return `p#${part(principal)}`;
}
