/** The life of one simulated process (a Lambda container): once dead, its I/O never completes. */
export class ProcessLife {
  dead = false;
  requests = 0;
  private readonly onDeath: () => void;

  constructor(
    /** The request number at which the process dies (Infinity: it does not die on its own). */
    private readonly dieAtRequest: number,
    /** Asked at the moment of a planned death: false keeps it alive (crash budget spent). */
    private readonly mayDie: () => boolean,
    onDeath: () => void,
  ) {
    this.onDeath = onDeath;
  }

  /** Kills the process now (if the budget allows); true when it died. */
  die(): boolean {
    if (this.dead) return true;
    if (!this.mayDie()) return false;
    this.dead = true;
    this.onDeath();
    return true;
  }

  /** Counts a request; true when the process is (now) dead and the request must never finish. */
  request(): boolean {
    if (this.dead) return true;
    this.requests++;
    return this.requests === this.dieAtRequest ? this.die() : false;
  }
}

/** A promise that never settles: the work of a dead process. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string; priority: 'high' },
    ): void;
  };
}

let installed = 0;

/**
 * Ties an AWS SDK client to a process life: every request counts towards its planned death,
 * and once dead no request is sent and none completes (the process is gone mid-call).
 */
export function attachProcessLife(client: unknown, life: ProcessLife): void {
  (client as MiddlewareClient).middlewareStack.add(
    (next) => async (args) => (life.request() ? never() : next(args)),
    { step: 'initialize', name: `chaosProcessLife${++installed}`, priority: 'high' },
  );
}
