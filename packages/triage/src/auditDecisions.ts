import type { Decision } from './types';

/** One line per decision, oldest first: when, what, who, where, which alert, its effect. */
export function formatDecisions(decisions: readonly Decision[]): string {
  if (decisions.length === 0) return 'no triage decisions in this period';
  return decisions
    .map((d) => {
      const who = d.userName ? `${d.userName} (${d.userId})` : d.userId;
      const where = [d.teamDomain ?? d.teamId, d.channelName ? `#${d.channelName}` : d.channelId]
        .filter(Boolean)
        .join('/');
      const effect = d.suppressedUntil ? ` suppressed until ${d.suppressedUntil}` : '';
      return `${d.at}  ${d.decision.padEnd(10)}  ${who}  ${where || '-'}  alert ${JSON.stringify(d.alertId)}${effect}`;
    })
    .join('\n');
}
