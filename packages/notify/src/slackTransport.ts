import { DeliveryError } from './errors';
import { errorForStatus, type GetJson, type HttpResponse, type PostJson } from './postJson';
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

/**
 * Message metadata (chat.postMessage `metadata`): an app's event type and a flat payload of
 * strings, numbers and booleans, returned by conversations.history with `include_all_metadata`.
 */
export interface SlackMessageMetadata {
  event_type: string;
  event_payload: Record<string, string | number | boolean>;
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
  return slackAnswer(method, res);
}

/** The parsed body of an `ok: true` Web API answer, or the DeliveryError its error code means. */
function slackAnswer(method: string, res: HttpResponse): Record<string, unknown> {
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
  metadata?: SlackMessageMetadata,
): Promise<SlackPostedMessage> {
  const body: Record<string, unknown> = { channel, ...message, ...SLACK_OPTIONS };
  if (thread) {
    body['thread_ts'] = thread.threadTs;
    if (thread.replyBroadcast) body['reply_broadcast'] = true;
  }
  if (metadata) body['metadata'] = metadata;
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

/** A top-level channel message as conversations.history returns it. */
export interface SlackHistoryMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  metadata?: SlackMessageMetadata;
}

/** Bounds of one history search: pages of `limit` messages, at most `maxPages` of them. */
export interface SlackHistorySearch {
  /** Epoch ms: only messages after this (Slack's `oldest`, exclusive). */
  oldestMs: number;
  limit: number;
  maxPages: number;
}

/**
 * Finds the first top-level message of `channel` (a channel id: conversations.history takes no
 * names) posted after `search.oldestMs` whose metadata `matches`, reading conversations.history
 * (`include_all_metadata`, cursor pagination, newest first). Needs `channels:history` (public) or
 * `groups:history` (private channel) on the bot token. Any failure is a transient DeliveryError
 * (missing_scope, not_in_channel, ratelimited with its Retry-After...): the caller must not act
 * as if nothing was found. So is a search that reaches `maxPages` without reaching `oldest`.
 */
export async function findSlackMessageByMetadata(
  get: GetJson,
  apiBaseUrl: string,
  token: string,
  channel: string,
  search: SlackHistorySearch,
  matches: (metadata: SlackMessageMetadata) => boolean,
  timeoutMs: number,
): Promise<SlackHistoryMessage | undefined> {
  const base = `${apiBaseUrl.replace(/\/+$/, '')}/conversations.history`;
  const oldest = (Math.max(0, search.oldestMs) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < search.maxPages; page++) {
    const query = new URLSearchParams({
      channel,
      oldest,
      limit: String(search.limit),
      include_all_metadata: 'true',
    });
    if (cursor) query.set('cursor', cursor);
    let answer: Record<string, unknown>;
    try {
      const res = await get(`${base}?${query.toString()}`, {
        timeoutMs,
        headers: { authorization: `Bearer ${token}` },
      });
      answer = slackAnswer('conversations.history', res);
    } catch (err) {
      if (!(err instanceof DeliveryError) || !err.permanent) throw err;
      // missing_scope, not_in_channel, channel_not_found...: still no proof that no parent exists.
      const details: { permanent: boolean; status?: number; retryAfterMs?: number } = { permanent: false };
      if (err.status !== undefined) details.status = err.status;
      throw new DeliveryError(err.message, details, { cause: err });
    }
    const messages = Array.isArray(answer['messages']) ? (answer['messages'] as unknown[]) : [];
    for (const m of messages) {
      if (!m || typeof m !== 'object') continue;
      const message = m as Record<string, unknown>;
      const metadata = message['metadata'] as SlackMessageMetadata | undefined;
      if (typeof message['ts'] !== 'string' || !metadata || typeof metadata !== 'object') continue;
      if (typeof metadata.event_type !== 'string' || !metadata.event_payload) continue;
      if (!matches(metadata)) continue;
      const found: SlackHistoryMessage = { ts: message['ts'], metadata };
      if (typeof message['text'] === 'string') found.text = message['text'];
      if (Array.isArray(message['blocks'])) found.blocks = message['blocks'];
      return found;
    }
    const meta = answer['response_metadata'] as { next_cursor?: unknown } | undefined;
    cursor = typeof meta?.next_cursor === 'string' && meta.next_cursor !== '' ? meta.next_cursor : undefined;
    if (!cursor) return undefined;
  }
  throw new DeliveryError(
    `slack conversations.history: more than ${search.maxPages} pages since the thread opened`,
    { permanent: false },
  );
}
