import { BenchmarkError } from './errors';

/** An event id (CloudTrail eventIDs are UUIDs) quoted in an alert's Slack message. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

interface Delivery {
  raw: string;
  receivedAt: number;
}

/**
 * The local Slack receiver's deliveries read as they arrive: each alert's latency from the
 * moment its event entered the pipeline (found by the event id its message quotes) to its
 * arrival at Slack. An event id is counted once, however many messages quote it.
 */
export class SlackDeliveries {
  private scanned = 0;
  private readonly deliveredAt = new Map<string, number>();

  constructor(private readonly receiver: { requests: readonly Delivery[] }) {}

  /**
   * Waits until `expected` alerts of events in `enteredAt` (event id -> when it entered) have
   * arrived, and returns their latencies in milliseconds; throws BenchmarkError after `timeoutMs`.
   */
  async latencies(
    enteredAt: ReadonlyMap<string, number>,
    expected: number,
    timeoutMs: number,
    what: string,
  ): Promise<number[]> {
    const latencies: number[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (; this.scanned < this.receiver.requests.length; this.scanned++) {
        const d = this.receiver.requests[this.scanned]!;
        for (const id of d.raw.match(UUID) ?? []) {
          if (this.deliveredAt.has(id)) continue;
          this.deliveredAt.set(id, d.receivedAt);
          const at = enteredAt.get(id);
          if (at !== undefined) latencies.push(d.receivedAt - at);
        }
      }
      if (latencies.length >= expected) return latencies;
      if (Date.now() > deadline) {
        throw new BenchmarkError(
          `only ${latencies.length} of ${expected} ${what} reached the Slack receiver`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
