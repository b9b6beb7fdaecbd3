import { createHmac } from 'node:crypto';
import type { Alert, ObservedEvent } from '@firstseen/core';
import { renderSlackGroup, TRIAGE_ACTION_IDS, type TriageDecisionKind } from '@firstseen/notify';
import type { TriageRequest, TrustedSlackApp } from '@firstseen/triage';

export const SIGNING_SECRET = 'test-signing-secret-8f742231b10e8888abcd99';
export const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

/** The workspace and app that clickPayload's clicks come from by default. */
export const TEAM_ID = 'T0TEAM';
export const APP_ID = 'A0APP';
export const TRUSTED_APPS: TrustedSlackApp[] = [{ appId: APP_ID, teamIds: [TEAM_ID] }];

export interface ClickSpec {
  alertId: string;
  decision?: TriageDecisionKind;
  actionId?: string;
  userId?: string;
  userName?: string;
  /** Distinguishes clicks; a retried click keeps it. */
  actionTs?: string;
  responseUrl?: string;
  alert?: Alert;
  /** team.id; null: `team: null` as on an org-wide install. */
  teamId?: string | null;
  /** user.team_id; null: absent. */
  userTeamId?: string | null;
  /** api_app_id; null: absent. */
  appId?: string | null;
}

/** A block_actions payload as Slack sends it for a click on one of our buttons. */
export function clickPayload(spec: ClickSpec): Record<string, unknown> {
  const message = spec.alert ? renderSlackGroup([spec.alert], [], { triageActions: true }) : undefined;
  const userTeamId = spec.userTeamId === undefined ? TEAM_ID : spec.userTeamId;
  const teamId = spec.teamId === undefined ? TEAM_ID : spec.teamId;
  const appId = spec.appId === undefined ? APP_ID : spec.appId;
  return {
    type: 'block_actions',
    user: {
      id: spec.userId ?? 'U0ALICE',
      username: 'alice',
      name: spec.userName ?? 'alice',
      ...(userTeamId !== null && { team_id: userTeamId }),
    },
    ...(appId !== null && { api_app_id: appId }),
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1717243200.000100', channel_id: 'C0SEC', is_ephemeral: false },
    trigger_id: '123.456.abc',
    team: teamId === null ? null : { id: teamId, domain: 'example' },
    channel: { id: 'C0SEC', name: 'security-alerts' },
    message: message ? { type: 'message', text: message.text, blocks: message.blocks } : undefined,
    response_url: spec.responseUrl ?? 'https://hooks.slack.com/actions/T0TEAM/1/abc',
    actions: [
      {
        action_id: spec.actionId ?? TRIAGE_ACTION_IDS[spec.decision ?? 'expected'],
        block_id: 'firstseen_triage_0',
        text: { type: 'plain_text', text: 'Expected' },
        value: spec.alertId,
        type: 'button',
        action_ts: spec.actionTs ?? '1717243201.000200',
      },
    ],
  };
}

/** Slack's form encoding of a payload. */
export function formBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A request signed as Slack signs it (independently of the code under test). */
export function signed(
  body: string,
  options: { timestampSeconds?: number; secret?: string } = {},
): TriageRequest {
  const ts = String(options.timestampSeconds ?? Math.floor(NOW / 1000));
  const sig = createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${ts}:${body}`)
    .digest('hex');
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': `v0=${sig}`,
    },
    body,
  };
}

export function alertFor(event: ObservedEvent, overrides: Partial<Alert> = {}): Alert {
  return {
    alertId: event.eventId,
    eventId: event.eventId,
    eventTime: event.eventTime,
    principal: event.principal,
    account: event.account,
    region: event.region,
    action: event.action,
    levels: ['account', 'role', 'region'],
    severity: 'low',
    identityType: event.identityType,
    source: 'live',
    context: {},
    ...overrides,
  };
}

export function observed(spec: {
  id: string;
  time?: number;
  principal?: string;
  account?: string;
  region?: string;
  eventSource?: string;
  eventName?: string;
}): ObservedEvent {
  const time = spec.time ?? NOW;
  const eventSource = spec.eventSource ?? 'iam.amazonaws.com';
  const eventName = spec.eventName ?? 'CreateRole';
  return {
    eventId: spec.id,
    eventTime: new Date(time).toISOString(),
    time,
    account: spec.account ?? '111122223333',
    region: spec.region ?? 'us-east-1',
    eventSource,
    eventName,
    action: `${eventSource}:${eventName}`,
    principal: spec.principal ?? 'role/deploy',
    identityType: (spec.principal ?? '').startsWith('root/') ? 'Root' : 'AssumedRole',
    failed: false,
    record: {},
  };
}
