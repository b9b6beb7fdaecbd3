import { isRetryableError } from '@firstseen/core';

export interface WriteRateGuardOptions {
  /** Writes started per second at most (each seed write is one conditional UpdateItem: 1 WCU per KB). */
  writesPerSecond: number;
  /** Attempts of one write when DynamoDB throttles it (or fails transiently), default 8. */
  maxAttempts?: number;
  /** First backoff after a throttled write, doubled each attempt (default 100 ms, full jitter). */
  baseBackoffMs?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Keeps a seed's DynamoDB writes under a share of the baseline table's capacity, so that live
 * detection (which writes to the same table) is never throttled by a seed: a token bucket of
 * `writesPerSecond` (burst: one second's worth), and on a throttled or transient failure a
 * backoff with jitter, the rate halved (multiplicative decrease) and regained by one write per
 * second per successful write (additive increase) up to the configured rate.
 */
export class WriteRateGuard {
  private readonly max: number;
  private rate: number;
  private tokens: number;
  private last: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private queue: Promise<void> = Promise.resolve();
  /** Writes DynamoDB throttled (or failed transiently) and that were retried. */
  throttled = 0;

  constructor(private readonly options: WriteRateGuardOptions) {
    if (!(options.writesPerSecond > 0)) throw new RangeError('writesPerSecond must be positive');
    this.max = options.writesPerSecond;
    this.rate = this.max;
    this.tokens = Math.min(this.max, Math.max(1, this.max));
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? sleepFor;
    this.random = options.random ?? Math.random;
    this.last = this.clock();
  }

  /** The current allowed rate (writes per second). */
  get currentRate(): number {
    return this.rate;
  }

  /** Runs one write when the rate allows it, retrying it with backoff while it is throttled. */
  async run<T>(write: () => Promise<T>): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    const base = this.options.baseBackoffMs ?? 100;
    for (let attempt = 1; ; attempt++) {
      await this.acquire();
      try {
        const result = await write();
        this.rate = Math.min(this.max, this.rate + 1);
        return result;
      } catch (err) {
        if (!isRetryableError(err) || attempt >= maxAttempts) throw err;
        this.throttled++;
        this.rate = Math.max(1, this.rate / 2);
        await this.sleep(this.random() * base * 2 ** (attempt - 1));
      }
    }
  }

  /** Takes one token, waiting for it; callers are served in order. */
  private acquire(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = this.clock();
        this.tokens = Math.min(Math.max(1, this.rate), this.tokens + ((now - this.last) / 1000) * this.rate);
        this.last = now;
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await this.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000));
      }
    });
    this.queue = turn;
    return turn;
  }
}
