import type { Behaviour, Receiver } from '@firstseen/local-stack';
import { sleep } from '../sleep';
import type { PublishClock } from '../workload/PublishClock';
import type { ReceiverGate } from './ReceiverGate';

/** Slack and PagerDuty through an outage: refused, then 429 with Retry-After, then random 500s. */
export class ReceiverPhases {
  private phase: 'down' | 'rate-limited' | 'flaky' = 'down';

  constructor(
    private readonly receivers: {
      slack: Receiver;
      pagerDuty: Receiver;
      slackGate: ReceiverGate;
      pagerDutyGate: ReceiverGate;
    },
    private readonly random: () => number,
    private readonly serverErrorRate: number,
  ) {}

  /** Down: the gates refuse connections until `run` opens them. Whether to answer 500 is drawn per request. */
  async goDown(): Promise<void> {
    const behaviour: Behaviour = () =>
      this.phase === 'rate-limited'
        ? ({ kind: 'status', status: 429, retryAfterSeconds: 1 } as const)
        : this.random() < this.serverErrorRate
          ? ({ kind: 'status', status: 500 } as const)
          : ({ kind: 'accept' } as const);
    this.receivers.slack.setBehaviour(behaviour);
    this.receivers.pagerDuty.setBehaviour(behaviour);
    await this.receivers.slackGate.setOpen(false);
    await this.receivers.pagerDutyGate.setOpen(false);
  }

  /** From the start of publishing: down for `downMs`, rate-limited for `rateLimitedMs`, then flaky to the end. */
  async run(
    downMs: number,
    rateLimitedMs: number,
    clock: PublishClock,
    write: (line: string) => void,
  ): Promise<void> {
    await sleep(downMs);
    this.phase = 'rate-limited';
    await this.receivers.slackGate.setOpen(true);
    await this.receivers.pagerDutyGate.setOpen(true);
    write(`  ${clock.stamp()} receivers up, answering 429 with Retry-After`);
    await sleep(rateLimitedMs);
    this.phase = 'flaky';
    write(`  ${clock.stamp()} receivers answering 500 to ${this.serverErrorRate * 100}% of requests`);
  }
}
