import { LocalStackError } from '@firstseen/local-stack';

/** `npm start` was interrupted before its start-up finished; everything it started is stopped. */
export class DemoInterruptedError extends LocalStackError {
  constructor() {
    super('interrupted during start-up; every emulator and poller started so far is stopped');
    this.name = 'DemoInterruptedError';
  }
}

/** Throws DemoInterruptedError once `signal` has fired (Ctrl-C during the start-up). */
export function checkInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DemoInterruptedError();
}
