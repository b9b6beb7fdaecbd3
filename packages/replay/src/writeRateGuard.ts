import { isRetryableError } from '@firstseen/core';
import type { WritePacer } from '@firstseen/dynamodb-store';

export interface WriteRateGuardOptions {
  /**
   * Write capacity units consumed per second at most: every request sent is charged its units
   * (1 per KB of item, at least 1), a conditional write whose condition fails included.
   */
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
 * `writesPerSecond` write units (burst: one second's worth), and on a throttled or transient
 * failure a backoff with jitter, the rate halved (multiplicative decrease) and regained by one
 * unit per second per successful write (additive increase) up to the configured rate.
 *
 * It paces REQUESTS, not keys: the store hands it each write request it sends (DynamoBaselineStore's
 * `writePacer`), so a `seedKey` that sends a conditional PutItem, has it fail on an existing key
 * and then sends an UpdateItem is charged both, as DynamoDB charges both.
 */
export class WriteRateGuard implements WritePacer {
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
  /** Write units charged so far (every request sent, each at its units). */
  charged = 0;

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

  /**
   * Sends one write request when the rate allows `writeUnits` more, retrying it with backoff
   * while it is throttled; each attempt is charged.
   */
  async run<T>(write: () => Promise<T>, writeUnits = 1): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    const base = this.options.baseBackoffMs ?? 100;
    for (let attempt = 1; ; attempt++) {
      await this.acquire(writeUnits);
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

  /**
   * Charges units a request consumed beyond what `run` charged before sending it (a failed
   * condition is charged the size of the item it found); later requests wait for them.
   */
  charge(writeUnits: number): void {
    if (!(writeUnits > 0)) return;
    this.refill();
    this.tokens -= writeUnits;
    this.charged += writeUnits;
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(Math.max(1, this.rate), this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  /**
   * Takes `units` tokens, waiting for them; callers are served in order. A request larger than
   * the bucket waits for a full bucket and leaves it in debt.
   */
  private acquire(units: number): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        this.refill();
        const needed = Math.min(units, Math.max(1, this.rate));
        if (this.tokens >= needed) {
          this.tokens -= units;
          this.charged += units;
          return;
        }
        await this.sleep(Math.ceil(((needed - this.tokens) / this.rate) * 1000));
      }
    });
    this.queue = turn;
    return turn;
  }
}
