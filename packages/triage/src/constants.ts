import { TRIAGE_ACTION_IDS, type TriageDecisionKind } from '@firstseen/notify';

/** Slack's replay window: a request whose timestamp is further than this from now is refused. */
export const MAX_REQUEST_AGE_SECONDS = 5 * 60;

/**
 * Largest body accepted. Slack's block_actions payload carries the whole original message
 * (ours is at most ~40 KB of JSON), URL-encoded; 256 KiB leaves room and bounds the HMAC work.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * A used request key is held this long past the last instant its timestamp is still accepted
 * (the timestamp plus the window): room for clocks that differ between function instances.
 */
export const REPLAY_KEY_MARGIN_MS = MAX_REQUEST_AGE_SECONDS * 1000;

/** Snooze: alerts for the principal stop for this long. */
export const SNOOZE_DAYS = 7;

/** Expected: the suppression of (principal, action) lives this long by default. */
export const DEFAULT_EXPECTED_DAYS = 90;

/** response_url must start with one of these (anything else would let a forged payload make us call out). */
export const DEFAULT_RESPONSE_URL_PREFIXES: readonly string[] = ['https://hooks.slack.com/'];

/** action_id -> decision. */
export const DECISION_BY_ACTION_ID: ReadonlyMap<string, TriageDecisionKind> = new Map(
  Object.entries(TRIAGE_ACTION_IDS).map(([kind, id]) => [id, kind as TriageDecisionKind]),
);

/** Key prefix of request keys in the baseline table (suppressions are under `s#`). */
export const REQUEST_KEY_PREFIX = 't#';
