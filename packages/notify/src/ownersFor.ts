import type { Owner } from '@firstseen/core';
import { matchesGlob } from '@firstseen/core';

const USER = /^[UW][A-Z0-9]+$/;
const GROUP = /^S[A-Z0-9]+$/;
const CHANNEL = /^[CGD][A-Z0-9]+$/;

/** Owner entries whose principal glob matches, in config order. */
export function ownersFor(principal: string, owners: readonly Owner[]): Owner[] {
  return owners.filter((o) => matchesGlob(principal, o.principal));
}

/**
 * Slack mentions for the owners: `<@U…>`, `<!subteam^S…>`, `<#C…>`, built only from config IDs
 * (re-checked here), never from event data.
 */
export function ownerMentions(owners: readonly Owner[]): string[] {
  const out: string[] = [];
  for (const o of owners) {
    for (const id of o.slackUserIds) if (USER.test(id)) out.push(`<@${id}>`);
    for (const id of o.slackGroupIds) if (GROUP.test(id)) out.push(`<!subteam^${id}>`);
    for (const id of o.slackChannelIds) if (CHANNEL.test(id)) out.push(`<#${id}>`);
  }
  return [...new Set(out)];
}
