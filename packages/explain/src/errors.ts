import { FirstseenError, isRetryableError, TransientStoreError } from '@firstseen/core';

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

/** Wraps an SDK error: transient ones as TransientStoreError (the batch is retried), others as ExplainStoreError. */
export function toStoreError(operation: string, err: unknown): FirstseenError {
  if (err instanceof FirstseenError) return err;
  const message = `explain store ${operation} failed: ${(err as { name?: string } | null)?.name ?? 'Error'}`;
  return isRetryableError(err)
    ? new TransientStoreError(message, { cause: err })
    : new ExplainStoreError(message, { cause: err });
}
