/** Base class of every error firstseen's packages throw on purpose. */
export class FirstseenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FirstseenError';
  }
}

/** A configuration value is missing or invalid; `issues` lists each offending path. */
export class ConfigError extends FirstseenError {
  readonly issues: string[];
  constructor(message: string, issues: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** A store operation failed for a reason worth retrying (throttling, timeout, outage). */
export class TransientStoreError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientStoreError';
  }
}
