import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { attachFaultInjector, throughputExceeded } from '@firstseen/test-support';
import type { PublishClock } from '../workload/PublishClock';

/**
 * Three 2 s bursts (at 15%, 55% and 80% of the publishing time) during which half of a client's
 * DynamoDB requests fail with ProvisionedThroughputExceeded; the coin is tossed at request time.
 */
export class ThrottlingBursts {
  /** Requests failed so far. */
  throttled = 0;
  private readonly bursts: (readonly [number, number])[];

  constructor(
    publishMs: number,
    private readonly clock: PublishClock,
    private readonly random: () => number,
  ) {
    this.bursts = [0.15, 0.55, 0.8].map((f) => [f * publishMs, f * publishMs + 2_000] as const);
  }

  attach(client: DynamoDBClient): void {
    attachFaultInjector(client, () => {
      const t = this.clock.elapsed();
      if (!this.bursts.some(([a, b]) => t >= a && t < b) || this.random() >= 0.5) return undefined;
      this.throttled++;
      return throughputExceeded('chaos: throttling burst');
    });
  }
}
