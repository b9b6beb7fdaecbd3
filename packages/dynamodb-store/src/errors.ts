import { FirstseenError, TransientStoreError } from '@firstseen/core';

/** A DynamoDB request failed for a reason a retry will not fix (validation, missing table, access). */
export class StoreRequestError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreRequestError';
  }
}

// Error names the SDK gives throttling, server-side and time-out failures; by the time one
// reaches us the SDK's own retries are used up.
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

const TRANSIENT_CODES = new Set([
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
const TRANSIENT_MESSAGE = new RegExp(`\\b(${[...TRANSIENT_CODES].join('|')})\\b|socket hang up`);

/** True for a failure worth retrying later: throttling, a 5xx, a time-out or a network error. */
export function isTransientDynamoError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as {
    name?: string;
    code?: string;
    message?: string;
    cause?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.name !== undefined && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code !== undefined && TRANSIENT_CODES.has(e.code)) return true;
  if (e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isTransientDynamoError(e.cause);
}

/** Maps an SDK failure to TransientStoreError or StoreRequestError, keeping it as the cause. */
export function toStoreError(operation: string, err: unknown): Error {
  const name = (err as { name?: string } | null)?.name ?? 'Error';
  const detail = `${name}: ${(err as { message?: string } | null)?.message ?? String(err)}`;
  return isTransientDynamoError(err)
    ? new TransientStoreError(`DynamoDB ${operation} failed transiently (${detail})`, { cause: err })
    : new StoreRequestError(`DynamoDB ${operation} failed (${detail})`, { cause: err });
}
