import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local HTTP receivers that honour Slack's and PagerDuty's real contracts, for the tests, the
 * benchmark and the chaos run. They listen on 127.0.0.1 on a free port and record every request.
 *
 * Slack incoming webhook (POST /webhook): 200 `ok`; 400 `invalid_payload`; 403
 * `action_prohibited`; 404 `channel_not_found`; 410 `channel_is_archived`; 429 with Retry-After
 * (seconds); 500 `rollup_error`.
 * Slack Web API (POST /api/chat.postMessage and /api/chat.update, GET
 * /api/conversations.history, Bearer token): 200 `{ok:true,...}`, or 200 `{ok:false,error}` for
 * API errors, 429 `{ok:false,error:'ratelimited'}` with Retry-After.
 * PagerDuty Events API v2 (POST /v2/enqueue): 202 `{status:'success',message:'Event processed',
 * dedup_key}`; 400 `{status:'invalid event',...}`; 429; 500.
 */

/** What the receiver does with one request. */
export type Reply =
  | { kind: 'accept' }
  | { kind: 'status'; status: number; error?: string; retryAfterSeconds?: number }
  /** chat.postMessage only: HTTP 200 with ok:false. */
  | { kind: 'slackError'; error: string }
  /** Never answers (the client times out); the message is not accepted. */
  | { kind: 'hang' }
  /** Accepts the message, then answers after delayMs (a client timeout then hides the success). */
  | { kind: 'slowAccept'; delayMs: number };

export interface ReceivedRequest {
  /** 0-based order of arrival. */
  index: number;
  path: string;
  headers: IncomingMessage['headers'];
  /** Raw body text, exactly as received. */
  raw: string;
  /** Epoch milliseconds when the body had fully arrived. */
  receivedAt: number;
  /** Parsed JSON body (undefined when not JSON). */
  body: unknown;
  reply: Reply['kind'];
  /** The service accepted it (it would show in Slack / open an incident). */
  accepted: boolean;
}

export type Behaviour = (request: { index: number; path: string; body: unknown }) => Reply;

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  baseUrl: string;
  requests: ReceivedRequest[];
  /** Bodies the service accepted, in order. */
  accepted(): unknown[];
  setBehaviour(b: Behaviour): void;
  stop(): Promise<void>;
}

const accept: Behaviour = () => ({ kind: 'accept' });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function startReceiver(
  handle: (reply: Reply, req: ReceivedRequest, res: ServerResponse) => void,
  initial: Behaviour,
): Promise<Receiver> {
  let behaviour = initial;
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const receivedAt = Date.now();
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const index = requests.length;
    const path = req.url ?? '/';
    const reply = behaviour({ index, path, body });
    const rec: ReceivedRequest = {
      index,
      path,
      headers: req.headers,
      raw,
      receivedAt,
      body,
      reply: reply.kind,
      accepted: reply.kind === 'accept' || reply.kind === 'slowAccept',
    };
    requests.push(rec);
    if (reply.kind === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (reply.kind === 'slowAccept') {
      hanging.add(res);
      const t = setTimeout(() => {
        hanging.delete(res);
        if (!res.destroyed) handle({ kind: 'accept' }, rec, res);
      }, reply.delayMs);
      res.on('close', () => clearTimeout(t));
      return;
    }
    handle(reply, rec, res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        requests,
        accepted: () => requests.filter((r) => r.accepted).map((r) => r.body),
        setBehaviour: (b) => {
          behaviour = b;
        },
        stop: () =>
          new Promise<void>((done) => {
            for (const res of hanging) res.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

const SLACK_WEBHOOK_ERRORS: Record<number, string> = {
  400: 'invalid_payload',
  403: 'action_prohibited',
  404: 'channel_not_found',
  410: 'channel_is_archived',
  429: 'rate_limited',
  500: 'rollup_error',
};

/** A message the Slack receiver holds, as the channel would show it. */
export interface SlackChannelMessage {
  ts: string;
  channel: string;
  /** Set on a thread reply: the parent's ts. */
  threadTs?: string;
  /** A reply also shown in the channel (`reply_broadcast: true`). */
  broadcast: boolean;
  /** Current content (the last chat.update's, or the posted one). */
  text?: unknown;
  blocks?: unknown;
  /** How many chat.update calls changed it. */
  edits: number;
  /** chat.postMessage `metadata` ({event_type, event_payload}), as conversations.history returns it. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface SlackReceiver extends Receiver {
  /** Messages posted with chat.postMessage, in order of posting (top-level and replies). */
  messages: SlackChannelMessage[];
}

/** The channel id every chat.postMessage lands in (chat.update needs the id, not a name). */
export const SLACK_TEST_CHANNEL_ID = 'C0TEST';

/**
 * A Slack receiver serving `/webhook` (incoming webhook) and the Web API with bot token `token`:
 * `/api/chat.postMessage` answers `{ok, channel, ts, message}` with a fresh ts; with `thread_ts`
 * the message is a reply, and a `thread_ts` that is not a top-level message of the channel is
 * `thread_not_found` (we chose strict: replying to a reply or to nothing is a bug of ours);
 * `reply_broadcast` is honoured. `/api/chat.update` (channel id + ts) replaces a message's
 * text/blocks and answers `{ok, channel, ts, text}`, or `channel_not_found`, `message_not_found`,
 * `no_text`; other errors (`cant_update_message`, `edit_window_closed`, `ratelimited`) are
 * injected with the behaviour. chat.postMessage keeps a `metadata` object (`event_type` string,
 * `event_payload` object; else `invalid_metadata_format`). `GET /api/conversations.history`
 * (query `channel` id, `oldest`/`latest` exclusive unless `inclusive`, `limit` default 100 max 999,
 * `cursor`, `include_all_metadata`) answers the channel's top-level messages and broadcast replies,
 * newest first, `{ok, messages, has_more, response_metadata: {next_cursor}}`, metadata only with
 * `include_all_metadata=true`; `channel_not_found` (not the channel id), `invalid_ts_oldest`,
 * `invalid_cursor`; `not_in_channel`, `missing_scope` and `ratelimited` (429 + Retry-After) are
 * injected with the behaviour.
 */
export function startSlackReceiver(
  options: { behaviour?: Behaviour; token?: string } = {},
): Promise<SlackReceiver> {
  const token = options.token ?? 'xoxb-test-token';
  const messages: SlackChannelMessage[] = [];
  let counter = 0;
  const nextTs = (): string => {
    counter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, '0')}`;
  };
  const json = (res: ServerResponse, body: unknown, status = 200): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  /** conversations.history (GET, arguments in the query string). */
  const history = (query: URLSearchParams, res: ServerResponse): string | undefined => {
    if (query.get('channel') !== SLACK_TEST_CHANNEL_ID) return 'channel_not_found';
    const inclusive = query.get('inclusive') === 'true' || query.get('inclusive') === '1';
    const bound = (name: string): number | undefined => {
      const v = query.get(name);
      if (v === null || v === '') return undefined;
      return /^\d{1,12}(\.\d{1,9})?$/.test(v) ? Number(v) : Number.NaN;
    };
    const oldest = bound('oldest');
    const latest = bound('latest');
    if (Number.isNaN(oldest)) return 'invalid_ts_oldest';
    if (Number.isNaN(latest)) return 'invalid_ts_latest';
    const limitArg = Number(query.get('limit') ?? '100');
    const limit = Number.isInteger(limitArg) && limitArg > 0 ? Math.min(limitArg, 999) : 100;
    const cursor = query.get('cursor');
    let start = 0;
    if (cursor) {
      const decoded = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!decoded) return 'invalid_cursor';
      start = Number(decoded[1]);
    }
    const withMetadata =
      query.get('include_all_metadata') === 'true' || query.get('include_all_metadata') === '1';
    const inRange = messages
      .filter((m) => m.threadTs === undefined || m.broadcast)
      .filter((m) => {
        const ts = Number(m.ts);
        if (oldest !== undefined && (inclusive ? ts < oldest : ts <= oldest)) return false;
        if (latest !== undefined && (inclusive ? ts > latest : ts >= latest)) return false;
        return true;
      })
      .reverse();
    const page = inRange.slice(start, start + limit).map((m) => ({
      type: 'message',
      ts: m.ts,
      ...(m.threadTs !== undefined ? { thread_ts: m.threadTs, subtype: 'thread_broadcast' } : {}),
      text: m.text,
      blocks: m.blocks,
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    }));
    const more = start + limit < inRange.length;
    json(res, {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: {
        next_cursor: more ? Buffer.from(`offset:${start + limit}`).toString('base64') : '',
      },
    });
    return undefined;
  };
  /** chat.postMessage / chat.update / conversations.history on an accepted request; returns an error code or undefined. */
  const apply = (req: ReceivedRequest, res: ServerResponse): string | undefined => {
    const url = new URL(req.path, 'http://receiver');
    if (url.pathname === '/api/conversations.history') return history(url.searchParams, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const hasContent = typeof body['text'] === 'string' || Array.isArray(body['blocks']);
    if (url.pathname === '/api/chat.update') {
      if (body['channel'] !== SLACK_TEST_CHANNEL_ID) return 'channel_not_found';
      const target = messages.find((m) => m.ts === body['ts']);
      if (!target) return 'message_not_found';
      if (!hasContent) return 'no_text';
      if ('text' in body) target.text = body['text'];
      if ('blocks' in body) target.blocks = body['blocks'];
      target.edits += 1;
      json(res, { ok: true, channel: target.channel, ts: target.ts, text: target.text });
      return undefined;
    }
    if (typeof body['channel'] !== 'string' || body['channel'] === '') return 'channel_not_found';
    if (!hasContent) return 'no_text';
    const metadata = body['metadata'];
    if (
      metadata !== undefined &&
      (!metadata ||
        typeof metadata !== 'object' ||
        typeof (metadata as Record<string, unknown>)['event_type'] !== 'string' ||
        !(metadata as Record<string, unknown>)['event_payload'] ||
        typeof (metadata as Record<string, unknown>)['event_payload'] !== 'object')
    ) {
      return 'invalid_metadata_format';
    }
    const threadTs = body['thread_ts'];
    if (threadTs !== undefined && !messages.some((m) => m.ts === threadTs && m.threadTs === undefined)) {
      return 'thread_not_found';
    }
    const message: SlackChannelMessage = {
      ts: nextTs(),
      channel: SLACK_TEST_CHANNEL_ID,
      broadcast: threadTs !== undefined && body['reply_broadcast'] === true,
      text: body['text'],
      blocks: body['blocks'],
      edits: 0,
    };
    if (typeof threadTs === 'string') message.threadTs = threadTs;
    if (metadata !== undefined) message.metadata = metadata as NonNullable<SlackChannelMessage['metadata']>;
    messages.push(message);
    json(res, { ok: true, channel: message.channel, ts: message.ts, message: { ts: message.ts } });
    return undefined;
  };
  return startReceiver((reply, req, res) => {
    const api = req.path.startsWith('/api/');
    if (api && req.headers.authorization !== `Bearer ${token}`) {
      req.accepted = false;
      json(res, { ok: false, error: 'invalid_auth' });
      return;
    }
    if (reply.kind === 'accept') {
      if (api) {
        const error = apply(req, res);
        if (error !== undefined) {
          req.accepted = false;
          json(res, { ok: false, error });
        }
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end('ok');
      }
      return;
    }
    if (reply.kind === 'slackError') {
      json(res, { ok: false, error: reply.error });
      return;
    }
    if (reply.kind === 'status') {
      const headers: Record<string, string> = {};
      if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
      const error = reply.error ?? SLACK_WEBHOOK_ERRORS[reply.status] ?? 'error';
      if (api) {
        headers['content-type'] = 'application/json';
        res
          .writeHead(reply.status, headers)
          .end(JSON.stringify({ ok: false, error: reply.status === 429 ? 'ratelimited' : error }));
      } else {
        headers['content-type'] = 'text/html';
        res.writeHead(reply.status, headers).end(error);
      }
    }
  }, options.behaviour ?? accept).then((receiver) => Object.assign(receiver, { messages }));
}

/** A PagerDuty Events API v2 receiver serving `/v2/enqueue`. */
export function startPagerDutyReceiver(options: { behaviour?: Behaviour } = {}): Promise<Receiver> {
  return startReceiver((reply, req, res) => {
    const json = { 'content-type': 'application/json' };
    if (reply.kind === 'accept') {
      const dedup = (req.body as { dedup_key?: unknown } | undefined)?.dedup_key;
      res
        .writeHead(202, json)
        .end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: dedup }));
      return;
    }
    if (reply.kind === 'status') {
      const headers: Record<string, string> = { ...json };
      if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
      const body =
        reply.status === 400
          ? {
              status: 'invalid event',
              message: 'Event object is invalid',
              errors: [reply.error ?? "'payload' is missing"],
            }
          : {
              status: 'error',
              message: reply.status === 429 ? 'Too many requests' : 'Internal server error',
            };
      res.writeHead(reply.status, headers).end(JSON.stringify(body));
      return;
    }
    res.writeHead(500, json).end('{}');
  }, options.behaviour ?? accept);
}

/** A URL on 127.0.0.1 where nothing listens (connections are refused). */
export async function refusedUrl(path = '/'): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}${path}`;
}
