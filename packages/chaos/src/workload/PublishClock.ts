/**
 * The fault schedule's time axis: milliseconds since publishing started. It runs from when the
 * stack is up and is restarted when publishing begins.
 */
export class PublishClock {
  private t0 = Date.now();

  restart(): void {
    this.t0 = Date.now();
  }

  elapsed(): number {
    return Date.now() - this.t0;
  }

  /** `[12.3 s]`: the time prefix of a progress line. */
  stamp(): string {
    return `[${(this.elapsed() / 1000).toFixed(1)} s]`;
  }
}
