import { FirstseenError } from '@firstseen/core';

/** The generator was given options it cannot honour (bad period, unknown scenario, ...). */
export class GeneratorOptionsError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GeneratorOptionsError';
  }
}
