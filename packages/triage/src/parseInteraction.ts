import { createHash } from 'node:crypto';
import type { TriageDecisionKind } from '@firstseen/notify';
import { z } from 'zod';
import { DECISION_BY_ACTION_ID } from './constants';
import type { Triager } from './types';

const bounded = (max: number) => z.string().min(1).max(max);

const BlockSchema = z.object({ type: z.string() }).passthrough();

/** The parts of Slack's block_actions payload that triage uses (unknown fields are ignored). */
export const BlockActionsPayloadSchema = z.object({
  type: z.literal('block_actions'),
  /** The Slack app the click was sent to (checked against the configured appId). */
  api_app_id: z.string().max(64).optional(),
  user: z.object({
    id: bounded(64),
    username: z.string().max(200).optional(),
    name: z.string().max(200).optional(),
    team_id: z.string().max(64).optional(),
  }),
  team: z.object({ id: z.string().max(64), domain: z.string().max(200).optional() }).nullish(),
  channel: z.object({ id: z.string().max(64), name: z.string().max(200).optional() }).nullish(),
  trigger_id: z.string().max(200).optional(),
  response_url: z.string().url().max(2000).optional(),
  message: z
    .object({ blocks: z.array(BlockSchema).max(50).optional(), text: z.string().optional() })
    .passthrough()
    .optional(),
  actions: z
    .array(
      z.object({
        action_id: bounded(255),
        block_id: z.string().max(255).optional(),
        value: bounded(2000),
        action_ts: bounded(64),
        type: z.string().optional(),
      }),
    )
    .length(1),
});

export type BlockActionsPayload = z.infer<typeof BlockActionsPayloadSchema>;

/** Where a click comes from, as Slack's signed payload says: checked by authorizeInteraction. */
export interface InteractionOrigin {
  /** api_app_id. */
  appId?: string;
  /** team.id: the workspace the click happened in. */
  teamId?: string;
  /** user.team_id: the clicking user's workspace (on Enterprise Grid, the organization `E…`). */
  userTeamId?: string;
}

export interface Interaction {
  decision: TriageDecisionKind;
  origin: InteractionOrigin;
  alertId: string;
  triager: Triager;
  /** Identifies the click: the same click retried has the same key. */
  requestKey: string;
  responseUrl?: string;
  blockId?: string;
  /** The message's blocks as Slack sent them (to update it in place). */
  messageBlocks?: Record<string, unknown>[];
  messageText?: string;
}

export type ParseOutcome =
  | { ok: true; interaction: Interaction }
  | { ok: false; reason: 'not-form' | 'not-json' | 'not-block-actions' | 'unknown-action' };

/** Parses `payload=<url-encoded JSON>` into one triage click; anything else is a reason to refuse. */
export function parseInteraction(rawBody: string): ParseOutcome {
  const form = new URLSearchParams(rawBody);
  const payload = form.get('payload');
  if (payload === null || [...form.keys()].length !== 1) return { ok: false, reason: 'not-form' };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  const parsed = BlockActionsPayloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'not-block-actions' };
  const p = parsed.data;
  const action = p.actions[0]!;
  const decision = DECISION_BY_ACTION_ID.get(action.action_id);
  if (!decision) return { ok: false, reason: 'unknown-action' };
  const triager: Triager = { userId: p.user.id };
  const name = p.user.name ?? p.user.username;
  if (name) triager.userName = name;
  const teamId = p.team?.id ?? p.user.team_id;
  if (teamId) triager.teamId = teamId;
  if (p.team?.domain) triager.teamDomain = p.team.domain;
  if (p.channel?.id) triager.channelId = p.channel.id;
  if (p.channel?.name) triager.channelName = p.channel.name;
  const requestKey = createHash('sha256')
    .update(JSON.stringify([p.user.id, action.action_ts, action.value, action.action_id]))
    .digest('hex')
    .slice(0, 32);
  const origin: InteractionOrigin = {};
  if (p.api_app_id !== undefined) origin.appId = p.api_app_id;
  if (p.team) origin.teamId = p.team.id;
  if (p.user.team_id !== undefined) origin.userTeamId = p.user.team_id;
  const interaction: Interaction = { decision, origin, alertId: action.value, triager, requestKey };
  if (p.response_url) interaction.responseUrl = p.response_url;
  if (action.block_id) interaction.blockId = action.block_id;
  if (p.message?.blocks) interaction.messageBlocks = p.message.blocks;
  if (p.message?.text) interaction.messageText = p.message.text;
  return { ok: true, interaction };
}
