import { FirstseenError } from '@firstseen/core';

/** Base of the benchmark's errors. */
export class BenchmarkError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchmarkError';
  }
}

/** A correctness check inside the benchmark failed (the figures would be meaningless). */
export class BenchmarkAssertionError extends BenchmarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchmarkAssertionError';
  }
}

/** A child process of the benchmark failed or printed no result. */
export class BenchmarkChildError extends BenchmarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchmarkChildError';
  }
}
