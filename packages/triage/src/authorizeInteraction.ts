import type { Config } from '@firstseen/core';
import type { Interaction } from './parseInteraction';

/** A Slack app whose clicks triage accepts: from the config's interactive Slack destinations. */
export interface TrustedSlackApp {
  /** The payload's api_app_id must be this. */
  appId: string;
  /** The click's workspace (team.id) and the user's team (user.team_id) must both be listed. */
  teamIds: readonly string[];
  /** When given, only these users may triage. */
  triagerUserIds?: readonly string[];
}

export type AuthorizeOutcome =
  | { ok: true }
  | { ok: false; reason: 'foreign-app' | 'foreign-team' | 'not-a-triager' };

/** The trusted apps of every Slack destination with `interactive: true` (parseConfig requires their ids). */
export function trustedSlackApps(config: Config): TrustedSlackApp[] {
  const apps: TrustedSlackApp[] = [];
  for (const d of Object.values(config.routing.destinations)) {
    if (d.type !== 'slack' || !d.interactive || !d.appId || !d.teamIds) continue;
    const app: TrustedSlackApp = { appId: d.appId, teamIds: d.teamIds };
    if (d.triagerUserIds) app.triagerUserIds = d.triagerUserIds;
    apps.push(app);
  }
  return apps;
}

/**
 * docs/semantics.md ("Policy and the alert"): only clicks from the configured Slack workspace(s) and app, and, where configured,
 * from listed triagers, are accepted. A valid signature only proves the click went through an
 * app holding the signing secret; a distributed app, or a shared channel, brings clicks from
 * other workspaces signed alike. Every team id the payload carries must be listed, and a
 * payload that carries none is refused.
 */
export function authorizeInteraction(
  interaction: Pick<Interaction, 'origin' | 'triager'>,
  trusted: readonly TrustedSlackApp[],
): AuthorizeOutcome {
  const { appId, teamId, userTeamId } = interaction.origin;
  const apps = trusted.filter((t) => appId !== undefined && t.appId === appId);
  if (apps.length === 0) return { ok: false, reason: 'foreign-app' };
  const teams = [teamId, userTeamId].filter((t): t is string => t !== undefined);
  if (teams.length === 0) return { ok: false, reason: 'foreign-team' };
  let reason: 'foreign-team' | 'not-a-triager' = 'foreign-team';
  for (const app of apps) {
    if (!teams.every((t) => app.teamIds.includes(t))) continue;
    if (app.triagerUserIds && !app.triagerUserIds.includes(interaction.triager.userId)) {
      reason = 'not-a-triager';
      continue;
    }
    return { ok: true };
  }
  return { ok: false, reason };
}
