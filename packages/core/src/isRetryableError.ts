import { TransientStoreError } from './errors';

// Error names AWS SDK v3 clients (DynamoDB, S3, Kinesis, Secrets Manager) give throttling,
// server-side and time-out failures. By the time one reaches firstseen the SDK's own retries
// are used up, so it is retried later (the next batch, a redelivery), never dropped.
const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

// Node's network failure codes (connection refused, reset, DNS, unreachable).
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_HTTP2_STREAM_ERROR',
]);

// The SDK re-wraps an error that is not `instanceof Error` in its realm (a Node network error
// seen from a Jest sandbox, say) as "AWS SDK error wrapper for Error: connect ECONNREFUSED ...",
// keeping only the message; the codes are then recognised in the message.
const RETRYABLE_MESSAGE = new RegExp(`\\b(${[...RETRYABLE_CODES].join('|')})\\b|socket hang up`);

const MAX_CAUSE_DEPTH = 5;

/**
 * True for a failure worth retrying later: a TransientStoreError, or an AWS SDK or network
 * error the SDK classes as retryable (throttling, a 5xx or 429, a time-out, a connection
 * error), looked for along the error's `cause` chain. The one classification of every store
 * and of the detector; validation errors, conditional failures and missing resources are not.
 */
export function isRetryableError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < MAX_CAUSE_DEPTH; depth++) {
    if (isRetryableItself(e)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function isRetryableItself(err: unknown): boolean {
  if (err instanceof TransientStoreError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (e.$retryable) return true;
  if (typeof e.name === 'string' && RETRYABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  return typeof e.message === 'string' && RETRYABLE_MESSAGE.test(e.message);
}
