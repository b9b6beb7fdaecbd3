/**
 * Runs tasks concurrently across principals while keeping each principal's tasks in submission
 * order, one at a time: the DetectionEngine's contract ("events of one principal in arrival
 * order, one at a time"). Every level key and the first sighting belong to one principal, so the
 * outcome is the same as a sequential run. At most `max` tasks are queued or running.
 */
export class PrincipalOrderedRunner {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<void>>();
  private error: unknown;
  private failed = false;

  constructor(private readonly max: number) {}

  async submit(principal: string, task: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    while (this.inflight.size >= this.max) {
      await Promise.race(this.inflight);
      this.throwIfFailed();
    }
    const previous = this.tails.get(principal) ?? Promise.resolve();
    const tracked: Promise<void> = previous
      .then(task)
      .catch((err: unknown) => {
        if (!this.failed) {
          this.failed = true;
          this.error = err;
        }
      })
      .finally(() => {
        this.inflight.delete(tracked);
        if (this.tails.get(principal) === tracked) this.tails.delete(principal);
      });
    this.tails.set(principal, tracked);
    this.inflight.add(tracked);
  }

  /** Waits for every submitted task; throws the first task error. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failed) throw this.error;
  }
}
