import { FirstseenError, TransientStoreError } from '@firstseen/core';

/** An explain-store request failed for a reason a retry will not fix (validation, missing table, access). */
export class ExplainStoreError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExplainStoreError';
  }
}

/** Optimistic updates of a principal's profile kept conflicting (another writer won every time). */
export class ProfileConflictError extends TransientStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProfileConflictError';
  }
}

// Names the SDK gives throttling, server-side and time-out failures (retrying the batch helps).
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
]);

/** Wraps an SDK error: transient ones as TransientStoreError (the batch is retried), others as ExplainStoreError. */
export function toStoreError(operation: string, err: unknown): FirstseenError {
  if (err instanceof FirstseenError) return err;
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | null;
  const status = e?.$metadata?.httpStatusCode;
  const transient =
    TRANSIENT_NAMES.has(e?.name ?? '') ||
    TRANSIENT_CODES.has(e?.code ?? '') ||
    (status !== undefined && status >= 500);
  const message = `explain store ${operation} failed: ${e?.name ?? 'Error'}`;
  return transient
    ? new TransientStoreError(message, { cause: err })
    : new ExplainStoreError(message, { cause: err });
}
