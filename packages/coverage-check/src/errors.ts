import { FirstseenError } from '@firstseen/core';

/** The command line or the stack outputs cannot name what to check. */
export class CoverageArgumentError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CoverageArgumentError';
  }
}
