import { TransientStoreError } from '@firstseen/core';
import { QuarantineWriteError } from './errors';

const TRANSIENT_NAMES = new Set([
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
]);

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

// Failures of the deployment rather than of a record: a missing table or bucket, missing
// permissions, bad or expired credentials. Fixing them needs no code change, and quarantining
// every record meanwhile would empty the stream into the quarantine bucket, so they are retried.
const DEPLOYMENT_NAMES = new Set([
  'ResourceNotFoundException',
  'NoSuchBucket',
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);

/**
 * True for a failure worth retrying by redelivery: a store's TransientStoreError, a quarantine
 * write failure, or an AWS SDK / network error that the SDK itself classes as retryable
 * (throttling, 5xx, timeouts, connection errors) and that survived the SDK's own retries, or
 * a deployment failure (missing table, access denied, bad credentials), looked for along the
 * error's `cause` chain. Anything else is treated as a bug in processing that one record (see
 * processKinesisBatch).
 */
export function isTransientError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (isTransientItself(e)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function isTransientItself(err: unknown): boolean {
  if (err instanceof TransientStoreError || err instanceof QuarantineWriteError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as {
    name?: unknown;
    code?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (e.$retryable) return true;
  if (typeof e.name === 'string' && (TRANSIENT_NAMES.has(e.name) || DEPLOYMENT_NAMES.has(e.name)))
    return true;
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status >= 500 || status === 429);
}
