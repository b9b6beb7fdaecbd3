import { FirstseenError } from '@firstseen/core';

/** The quarantine could not store a record (after the SDK's retries): the record is retried. */
export class QuarantineWriteError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuarantineWriteError';
  }
}
