/**
 * The maintained list of offensive security distributions and tools that announce themselves
 * in a CloudTrail userAgent, as GuardDuty's PenTest findings do for Kali, Parrot and Pentoo
 * Linux (their kernel or distribution string ends up in the SDK's agent, e.g.
 * `Linux/6.5.0-kali3-amd64`). A match is strong evidence: legitimate automation does not run
 * from these. Add a tool here, with a test in tests/unit/offensiveUserAgent.test.ts.
 */
export const OFFENSIVE_USER_AGENTS: readonly { name: string; token: string }[] = [
  { name: 'Kali Linux', token: 'kali' },
  { name: 'Parrot Security OS', token: 'parrot' },
  { name: 'Pentoo Linux', token: 'pentoo' },
  { name: 'BlackArch Linux', token: 'blackarch' },
  { name: 'Pacu', token: 'pacu' },
  { name: 'Stratus Red Team', token: 'stratus-red-team' },
  { name: 'WeirdAAL', token: 'weirdaal' },
  { name: 'CloudFox', token: 'cloudfox' },
  { name: 'CloudGoat', token: 'cloudgoat' },
];

// A token counts only as a whole word: not inside a longer run of letters (`kalimba`).
const PATTERNS = OFFENSIVE_USER_AGENTS.map(({ name, token }) => ({
  name,
  pattern: new RegExp(`(^|[^a-z])${token.replace(/-/g, '\\-')}([^a-z]|$)`, 'i'),
}));

/** Characters of a userAgent examined (the value is attacker-controlled: never scan megabytes). */
const MAX_SCAN = 1024;

/** The offensive distribution or tool the user agent names, or undefined. */
export function offensiveUserAgent(userAgent: string | undefined): string | undefined {
  if (userAgent === undefined || userAgent === '') return undefined;
  const head = userAgent.slice(0, MAX_SCAN);
  return PATTERNS.find((p) => p.pattern.test(head))?.name;
}
