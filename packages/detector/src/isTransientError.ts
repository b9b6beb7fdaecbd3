import { isRetryableError } from '@firstseen/core';
import { QuarantineWriteError } from './errors';

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
 * True for a failure worth retrying by redelivery: anything `isRetryableError` (core) retries
 * (a store's TransientStoreError, throttling, 5xx, time-outs, connection errors that survived
 * the SDK's own retries), a quarantine write failure, or a deployment failure (missing table,
 * access denied, bad credentials), looked for along the error's `cause` chain. Anything else is
 * treated as a bug in processing that one record (see processKinesisBatch).
 */
export function isTransientError(err: unknown): boolean {
  if (isRetryableError(err)) return true;
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof QuarantineWriteError) return true;
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string' && DEPLOYMENT_NAMES.has(name)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
