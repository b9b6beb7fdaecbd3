import { FirstseenError, isRetryableError, TransientStoreError } from '@firstseen/core';

/** A DynamoDB request failed for a reason a retry will not fix (validation, missing table, access). */
export class StoreRequestError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreRequestError';
  }
}

/** Maps an SDK failure to TransientStoreError or StoreRequestError, keeping it as the cause. */
export function toStoreError(operation: string, err: unknown): Error {
  const name = (err as { name?: string } | null)?.name ?? 'Error';
  const detail = `${name}: ${(err as { message?: string } | null)?.message ?? String(err)}`;
  return isRetryableError(err)
    ? new TransientStoreError(`DynamoDB ${operation} failed transiently (${detail})`, { cause: err })
    : new StoreRequestError(`DynamoDB ${operation} failed (${detail})`, { cause: err });
}
