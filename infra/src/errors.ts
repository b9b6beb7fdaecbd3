import { FirstseenError } from '@firstseen/core';

/** The stack configuration or a component's arguments cannot produce a working deployment. */
export class InfraConfigError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfraConfigError';
  }
}
