import { UsageError } from '@firstseen/core';

/** The command line or the stack outputs cannot name what to check: one line, the usage, exit 2. */
export class CoverageArgumentError extends UsageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CoverageArgumentError';
  }
}
