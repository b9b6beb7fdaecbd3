import { FirstseenError } from '@firstseen/core';

/** Base class of the triage package's errors. */
export class TriageError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TriageError';
  }
}

/** Escalating a Suspicious decision to PagerDuty failed; the escalation is marked failed and may be retried. */
export class EscalationError extends TriageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EscalationError';
  }
}

/** A suppressions file or command-line value is not valid. */
export class SuppressionInputError extends TriageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SuppressionInputError';
  }
}
