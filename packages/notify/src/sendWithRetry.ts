import { DeliveryError } from './errors';
import type { Clock, RandomSource, Sleep } from './types';

export interface RetryPolicy {
  /** Attempts per destination message in one invocation. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-request timeout (also bounded by the remaining time). */
  requestTimeoutMs: number;
  /** Time kept back at the end of an invocation for writing delivery state. */
  safetyMarginMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  requestTimeoutMs: 5_000,
  safetyMarginMs: 2_000,
};

/** The shortest per-request timeout worth starting a request with. */
export const MIN_REQUEST_MS = 1_000;

export interface RetryDeps {
  now: Clock;
  sleep: Sleep;
  random: RandomSource;
  /** Milliseconds left in this invocation (Lambda's getRemainingTimeInMillis). */
  remainingTimeMs: () => number;
}

export type SendOutcome =
  | { status: 'delivered'; attempts: number }
  | { status: 'failed' | 'permanent'; attempts: number; lastError: string };

/** Full jitter (AWS Architecture Blog): uniform in [0, min(cap, base * 2^(attempt-1))). */
export function fullJitterDelay(attempt: number, policy: RetryPolicy, random: RandomSource): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Sends with exponential backoff and full jitter. Permanent errors stop at once. A Retry-After
 * is honoured as the delay; when the delay (or another request) no longer fits in the time
 * left, it stops and reports `failed`, leaving the retry to the next invocation.
 */
export async function sendWithRetry(
  send: (timeoutMs: number) => Promise<void>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<SendOutcome> {
  let lastError = 'not attempted: no time left in this invocation';
  let attempts = 0;
  while (attempts < policy.maxAttempts) {
    const budget = deps.remainingTimeMs() - policy.safetyMarginMs;
    // A request squeezed into a sliver of time times out even when the service accepted it,
    // which turns into a duplicate on the next invocation: leave it to that invocation instead.
    if (budget < MIN_REQUEST_MS) break;
    attempts += 1;
    try {
      await send(Math.min(policy.requestTimeoutMs, budget));
      return { status: 'delivered', attempts };
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      lastError = err.message;
      if (err.permanent) return { status: 'permanent', attempts, lastError };
      if (attempts >= policy.maxAttempts) break;
      const delay = err.retryAfterMs ?? fullJitterDelay(attempts, policy, deps.random);
      const left = deps.remainingTimeMs() - policy.safetyMarginMs;
      if (delay + Math.min(policy.requestTimeoutMs, 1_000) > left) {
        lastError = `${lastError}; retry in ${delay} ms does not fit the ${Math.max(0, left)} ms left`;
        break;
      }
      await deps.sleep(delay);
    }
  }
  return { status: 'failed', attempts, lastError };
}
