import { DeliveryError } from './errors';

export interface HttpResponse {
  status: number;
  body: string;
  retryAfterMs?: number;
}

/** The HTTP sender destinations use; tests and scripts may pass their own. */
export type PostJson = (
  url: string,
  body: unknown,
  options: { timeoutMs: number; headers?: Record<string, string> },
) => Promise<HttpResponse>;

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - nowMs);
}

function causeCode(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return 'unknown';
}

/** The HTTP reader a Slack bot destination uses for Web API read methods (conversations.history). */
export type GetJson = (
  url: string,
  options: { timeoutMs: number; headers?: Record<string, string> },
) => Promise<HttpResponse>;

/**
 * One HTTP request with Node's fetch and a per-request timeout (AbortSignal.timeout). Timeouts and
 * connection errors become transient DeliveryErrors, a malformed URL a permanent one; the URL
 * (a secret for Slack webhooks) is never put in a message.
 */
async function request(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<HttpResponse> {
  // No retry can make a malformed URL work (fetch would fail it as a connection error).
  if (!URL.canParse(url)) throw new DeliveryError('invalid URL', { permanent: true });
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs))),
      redirect: 'error',
    });
  } catch (err) {
    const name = (err as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new DeliveryError(`timeout after ${Math.floor(timeoutMs)} ms`, { permanent: false });
    }
    throw new DeliveryError(`connection error ${causeCode(err)}`, { permanent: false });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    const name = (err as { name?: unknown }).name;
    const what =
      name === 'TimeoutError' || name === 'AbortError'
        ? 'timeout reading the response'
        : 'response read error';
    throw new DeliveryError(`${what} (HTTP ${res.status})`, { permanent: false, status: res.status });
  }
  const out: HttpResponse = { status: res.status, body: text };
  const ra = parseRetryAfter(res.headers.get('retry-after'));
  if (ra !== undefined) out.retryAfterMs = ra;
  return out;
}

/** POSTs JSON (see `request` for the error classes). */
export const postJson: PostJson = (url, body, { timeoutMs, headers }) =>
  request(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: JSON.stringify(body),
    },
    timeoutMs,
  );

/** GETs a URL (arguments in its query string), e.g. a Slack Web API read method. */
export const getJson: GetJson = (url, { timeoutMs, headers }) =>
  request(url, { method: 'GET', headers: { ...headers } }, timeoutMs);

/** Status classes of the issue: 400/403/404/410 (and other 4xx) permanent; 408, 429, 5xx transient. */
export function errorForStatus(service: string, res: HttpResponse, code?: string): DeliveryError {
  const transient = res.status === 408 || res.status === 429 || res.status >= 500;
  const detail = code ? ` ${code}` : '';
  const details: { permanent: boolean; status: number; retryAfterMs?: number } = {
    permanent: !transient,
    status: res.status,
  };
  if (res.retryAfterMs !== undefined) details.retryAfterMs = res.retryAfterMs;
  return new DeliveryError(`${service} HTTP ${res.status}${detail}`, details);
}
