import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { MAX_REQUEST_AGE_SECONDS } from './constants';

export type VerifyOutcome =
  | { ok: true; timestamp: number; signature: string }
  | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature' };

/** Header lookup that ignores case (function URLs lower-case them; Node's http does too). */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret (Slack's scheme). */
export function slackSignature(signingSecret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Checks X-Slack-Request-Timestamp (an integer within 5 minutes of now, either way) and
 * X-Slack-Signature against the raw body, comparing in constant time. The body must be the
 * exact bytes Slack sent: re-encoding a parsed form would break the signature.
 */
export function verifySlackRequest(
  headers: Record<string, string | undefined>,
  rawBody: string,
  signingSecret: string,
  nowMs: number,
): VerifyOutcome {
  const ts = header(headers, 'x-slack-request-timestamp');
  const signature = header(headers, 'x-slack-signature');
  if (ts === undefined || signature === undefined) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'bad-timestamp' };
  const timestamp = Number(ts);
  if (Math.abs(nowMs / 1000 - timestamp) > MAX_REQUEST_AGE_SECONDS) {
    return { ok: false, reason: 'stale-timestamp' };
  }
  const expected = Buffer.from(slackSignature(signingSecret, ts, rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; the length of a well-formed signature is public anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  return { ok: true, timestamp, signature };
}

/** The replay key of a verified request: Slack sends no request id, so (timestamp, signature) stands in. */
export function requestReplayKey(timestamp: number, signature: string): string {
  return createHash('sha256').update(`${timestamp}:${signature}`).digest('hex');
}
