import { DynamoDbStreamPoller } from '@firstseen/local-stack';
import { dispatchAlerts, type PostJson, postJson } from '@firstseen/notify';
import type { DeliverDepsFor } from '../chaosDeliverDeps';
import { randomInt } from '../random';
import { CrashableProcess, type CrashableProcessOptions } from './CrashableProcess';
import { never } from './crashableClient';

export interface CrashableDispatcherOptions extends CrashableProcessOptions {
  deliverDeps: DeliverDepsFor;
}

/**
 * The alert dispatcher as a succession of processes, each dying at a random request or right
 * after a destination accepted a message (both drawn when it starts), and replaced by a new one
 * that resumes from the shared checkpoints.
 */
export class CrashableDispatcher extends CrashableProcess<DynamoDbStreamPoller, CrashableDispatcherOptions> {
  constructor(options: CrashableDispatcherOptions) {
    super('dispatcher', options);
  }

  async start(): Promise<void> {
    const o = this.options;
    let poller: DynamoDbStreamPoller | undefined;
    const life = this.newLife(20, 300, () => poller);
    const dynamodb = this.dynamoDbClient(life);
    const dieAfterAccepted = randomInt(o.random, 3, 25);
    let accepted = 0;
    const post: PostJson = async (url, body, opts) => {
      if (life.dead) return never();
      const res = await postJson(url, body, opts);
      if (life.dead) return never();
      // Accepted by Slack or PagerDuty, delivery state not yet written: the ambiguous window.
      if (res.status < 300 && ++accepted === dieAfterAccepted && life.die()) return never();
      return res;
    };
    let invokedAt = Date.now();
    const deps = o.deliverDeps(dynamodb, post, () => 30_000 - (Date.now() - invokedAt));
    poller = new DynamoDbStreamPoller({
      client: o.stack.streams,
      streamArn: o.stack.tables.alerts.streamArn!,
      handler: (event) => {
        invokedAt = Date.now();
        return dispatchAlerts(event, deps);
      },
      functionName: 'firstseen-alert-dispatcher',
      ...this.mapping(25),
    });
    await poller.start();
    this.running(poller, life);
  }
}
