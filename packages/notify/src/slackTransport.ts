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
  // chat.update
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'thread_not_found',
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

/** What chat.postMessage answers on success: the message's `ts` and the channel id it landed in. */
export interface SlackPostedMessage {
  ts: string;
  channel: string;
}

/** Thread options of chat.postMessage: a reply in `threadTs`, optionally also shown in the channel. */
export interface SlackThreadOptions {
  threadTs: string;
  replyBroadcast?: boolean;
}

/**
 * One Slack Web API call with a bot token (chat.postMessage, chat.update): errors arrive as
 * HTTP 200 with `ok: false`; returns the parsed body of an `ok: true` answer.
 */
async function callSlackApi(
  post: PostJson,
  apiBaseUrl: string,
  token: string,
  method: 'chat.postMessage' | 'chat.update',
  body: Record<string, unknown>,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const url = `${apiBaseUrl.replace(/\/+$/, '')}/${method}`;
  const res = await post(url, body, { timeoutMs, headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw errorForStatus(`slack ${method}`, res, errorCode(res.body));
  let parsed: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(res.body);
    if (!value || typeof value !== 'object') throw new Error('not an object');
    parsed = value as Record<string, unknown>;
  } catch (err) {
    throw new DeliveryError(
      `slack ${method}: unreadable 200 body`,
      { permanent: false, status: 200 },
      { cause: err },
    );
  }
  if (parsed['ok'] === true) return parsed;
  const error = parsed['error'];
  const code = typeof error === 'string' && /^[a-z_]{1,60}$/.test(error) ? error : 'unknown_error';
  const details: { permanent: boolean; status: number; retryAfterMs?: number } = {
    permanent: SLACK_PERMANENT_ERRORS.has(code),
    status: 200,
  };
  if (res.retryAfterMs !== undefined) details.retryAfterMs = res.retryAfterMs;
  throw new DeliveryError(`slack ${method} ${code}`, details);
}

/** chat.postMessage with a bot token; a reply when `thread` is given. Returns the new message's ts and channel. */
export async function postSlackBotMessage(
  post: PostJson,
  apiBaseUrl: string,
  token: string,
  channel: string,
  message: SlackMessage,
  timeoutMs: number,
  thread?: SlackThreadOptions,
): Promise<SlackPostedMessage> {
  const body: Record<string, unknown> = { channel, ...message, ...SLACK_OPTIONS };
  if (thread) {
    body['thread_ts'] = thread.threadTs;
    if (thread.replyBroadcast) body['reply_broadcast'] = true;
  }
  const parsed = await callSlackApi(post, apiBaseUrl, token, 'chat.postMessage', body, timeoutMs);
  const ts = parsed['ts'];
  const at = parsed['channel'];
  if (typeof ts !== 'string' || !/^\d{1,12}\.\d{1,9}$/.test(ts) || typeof at !== 'string' || at === '') {
    // The message is posted; only its ts is unreadable. Not retried: a retry would post it again.
    throw new DeliveryError('slack chat.postMessage: ok without a readable ts/channel', {
      permanent: true,
      status: 200,
    });
  }
  return { ts, channel: at };
}

/**
 * chat.update of a message we posted (`channel` must be the id chat.postMessage returned, not a
 * name). Errors such as message_not_found, cant_update_message, edit_window_closed are permanent.
 */
export async function updateSlackBotMessage(
  post: PostJson,
  apiBaseUrl: string,
  token: string,
  target: SlackPostedMessage,
  message: SlackMessage,
  timeoutMs: number,
): Promise<void> {
  await callSlackApi(
    post,
    apiBaseUrl,
    token,
    'chat.update',
    { channel: target.channel, ts: target.ts, ...message },
    timeoutMs,
  );
}
