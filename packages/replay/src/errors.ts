import { FirstseenError } from '@firstseen/core';

/** Base class of the replay's own errors. */
export class ReplayError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayError';
  }
}

/** The command line is wrong: the script prints the usage and exits 2. */
export class ReplayArgumentError extends ReplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayArgumentError';
  }
}

/**
 * The source cannot be read at all: a missing bucket or directory, bad or missing credentials,
 * access denied on the listing. The script prints one line and exits 2.
 */
export class SourceAccessError extends ReplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceAccessError';
  }
}

/** One object could not be used (corrupt gzip, not JSON, unreadable); it is counted and skipped. */
export class BadObjectError extends ReplayError {
  readonly key: string;
  readonly reason: BadObjectReason;
  constructor(key: string, reason: BadObjectReason, detail: string, options?: { cause?: unknown }) {
    super(`${key}: ${reason}: ${detail}`, options);
    this.name = 'BadObjectError';
    this.key = key;
    this.reason = reason;
  }
}

export type BadObjectReason =
  | 'bad-gzip'
  | 'not-json'
  | 'bad-encoding'
  | 'unreadable'
  | 'no-payload'
  | 'not-kinesis';

/** Kinesis kept rejecting records after every retry. */
export class StreamPutError extends ReplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StreamPutError';
  }
}

/** The checkpoint file belongs to another run (other source, mode or filters) or is unreadable. */
export class CheckpointError extends ReplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckpointError';
  }
}

/**
 * Where the replay writes cannot be used (a missing table or stream, no credentials, an
 * unwritable --report path): found before the source is read; the script prints one line, exit 2.
 */
export class TargetAccessError extends ReplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TargetAccessError';
  }
}

/** A worker thread of a parallel replay (`--workers N`) failed or stopped: the run fails, nothing partial is reported. */
export class ReplayWorkerError extends ReplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayWorkerError';
  }
}

/** `--on aws`: the execution could not be started or followed, or its results not read. */
export class SeedOnAwsError extends ReplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeedOnAwsError';
  }
}

/** One line for a failed AWS call: what was being done, the error's name and message. */
export function seedOnAwsError(what: string, err: unknown): SeedOnAwsError {
  const e = err as { name?: string; message?: string };
  return new SeedOnAwsError(`${what} failed (${e.name ?? 'Error'}: ${e.message ?? String(err)})`, {
    cause: err,
  });
}

/**
 * A seed split over workers read a history longer than retentionDays (docs/semantics.md "Sharded
 * seed": the merge equals a sequential seed only within it): nothing was written.
 */
export class ShardedSeedSpanError extends ReplayError {
  constructor(message: string) {
    super(message);
    this.name = 'ShardedSeedSpanError';
  }
}
