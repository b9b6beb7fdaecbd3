import type { Clock } from './types';

/**
 * Counts messages per destination per clock minute. Past the threshold a destination gets one
 * summary instead of more messages. The count lives in the process (one Lambda container), so
 * with several concurrent containers the effective limit is threshold × containers.
 */
export class StormControl {
  private readonly counts = new Map<string, { minute: number; count: number }>();

  constructor(
    private readonly thresholdPerMinute: number,
    private readonly now: Clock,
  ) {}

  /** Takes one message slot for `destination`; false when the minute's budget is spent (0 = off). */
  tryAcquire(destination: string): boolean {
    if (this.thresholdPerMinute <= 0) return true;
    const minute = Math.floor(this.now() / 60_000);
    const c = this.counts.get(destination);
    if (!c || c.minute !== minute) {
      this.counts.set(destination, { minute, count: 1 });
      return true;
    }
    if (c.count >= this.thresholdPerMinute) return false;
    c.count += 1;
    return true;
  }

  get threshold(): number {
    return this.thresholdPerMinute;
  }
}
