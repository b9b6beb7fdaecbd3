import { DeliveryError } from './errors';
import { errorForStatus, type PostJson } from './postJson';
import type { SlackMessage } from './renderSlack';

/** chat.postMessage `error` codes that no retry can fix. */
export const SLACK_PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'restricted_action',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'ekm_access_denied',
  'access_denied',
]);
/** Codes Slack documents as transient. Unknown codes are treated as transient too: retries are bounded and redrive sees the rest. */
export const SLACK_TRANSIENT_ERRORS: ReadonlySet<string> = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** Slack's short error strings are safe to record; anything else is reduced to a marker. */
function errorCode(body: string): string | undefined {
  const t = body.trim();
  if (/^[a-z_]{1,60}$/.test(t)) return t;
  try {
    const j = JSON.parse(t) as { error?: unknown };
    if (typeof j.error === 'string' && /^[a-z_]{1,60}$/.test(j.error)) return j.error;
  } catch {
    // not JSON
  }
  return undefined;
}

const SLACK_OPTIONS = { unfurl_links: false, unfurl_media: false } as const;

/** Incoming webhook: 200 `ok` is success; 400/403/404/410 carry a short error string (invalid_payload, channel_not_found...). */
export async function postSlackWebhook(
  post: PostJson,
  webhookUrl: string,
  message: SlackMessage,
  timeoutMs: number,
): Promise<void> {
  const res = await post(webhookUrl, { ...message, ...SLACK_OPTIONS }, { timeoutMs });
  if (res.status >= 200 && res.status < 300) return;
  throw errorForStatus('slack webhook', res, errorCode(res.body));
}

/** chat.postMessage with a bot token: errors arrive as HTTP 200 with `ok: false`. */
export async function postSlackBotMessage(
  post: PostJson,
  apiBaseUrl: string,
  token: string,
  channel: string,
  message: SlackMessage,
  timeoutMs: number,
): Promise<void> {
  const url = `${apiBaseUrl.replace(/\/+$/, '')}/chat.postMessage`;
  const res = await post(
    url,
    { channel, ...message, ...SLACK_OPTIONS },
    { timeoutMs, headers: { authorization: `Bearer ${token}` } },
  );
  if (res.status !== 200) throw errorForStatus('slack chat.postMessage', res, errorCode(res.body));
  let parsed: { ok?: unknown; error?: unknown };
  try {
    parsed = JSON.parse(res.body) as { ok?: unknown; error?: unknown };
  } catch (err) {
    throw new DeliveryError(
      'slack chat.postMessage: unreadable 200 body',
      { permanent: false, status: 200 },
      { cause: err },
    );
  }
  if (parsed.ok === true) return;
  const code =
    typeof parsed.error === 'string' && /^[a-z_]{1,60}$/.test(parsed.error) ? parsed.error : 'unknown_error';
  const details: { permanent: boolean; status: number; retryAfterMs?: number } = {
    permanent: SLACK_PERMANENT_ERRORS.has(code),
    status: 200,
  };
  if (res.retryAfterMs !== undefined) details.retryAfterMs = res.retryAfterMs;
  throw new DeliveryError(`slack chat.postMessage ${code}`, details);
}
