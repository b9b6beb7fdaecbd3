import {
  type CheckpointStore,
  createDynamoDbClient,
  DynamoDbStreamPoller,
  type OnFailureDestination,
} from '@firstseen/local-stack';
import { dispatchAlerts, type PostJson, postJson } from '@firstseen/notify';
import type { Logger } from 'pino';
import type { Cleanups } from './Cleanups';
import type { DeliverDepsFor } from './chaosDeliverDeps';
import { RETRY_DELAY_MS } from './constants';
import { attachProcessLife, never, ProcessLife } from './crashableClient';
import type { PublishClock } from './PublishClock';
import { randomInt } from './random';
import { restartUntilUp } from './restartUntilUp';
import type { ChaosStack } from './startChaosStack';
import type { ThrottlingBursts } from './ThrottlingBursts';

export interface CrashableDispatcherOptions {
  stack: ChaosStack;
  deliverDeps: DeliverDepsFor;
  /** Shared by every process, as the mapping's state outlives a Lambda container. */
  checkpoints: CheckpointStore;
  onFailure: OnFailureDestination;
  logger: Logger;
  random: () => number;
  /** Most crashes injected; once spent, planned deaths are skipped. */
  maxCrashes: number;
  /** Crashes are injected only while this holds (publishing and a little after). */
  faultWindowOpen: () => boolean;
  stopping: () => boolean;
  throttling: ThrottlingBursts;
  clock: PublishClock;
  cleanups: Cleanups;
  write: (line: string) => void;
}

/**
 * The alert dispatcher as a succession of processes, each dying at a random request or right
 * after a destination accepted a message (both drawn when it starts), and replaced by a new one
 * that resumes from the shared checkpoints.
 */
export class CrashableDispatcher {
  crashes = 0;
  /** The running process's poller, once it is up. */
  poller: DynamoDbStreamPoller | undefined;
  /** The running process's life, once it is up: what a scheduled kill ends. */
  life: ProcessLife | undefined;

  constructor(private readonly options: CrashableDispatcherOptions) {}

  /** Starts a new process (a cold start); rejects when it cannot come up (DynamoDB may be down). */
  async start(): Promise<void> {
    const o = this.options;
    let poller: DynamoDbStreamPoller | undefined;
    const life = new ProcessLife(
      randomInt(o.random, 20, 300),
      () => o.faultWindowOpen() && this.crashes < o.maxCrashes && !o.stopping(),
      () => {
        this.crashes++;
        poller?.kill();
        o.write(`  ${o.clock.stamp()} dispatcher killed (${this.crashes})`);
        void restartUntilUp('dispatcher', () => this.start(), o.stopping, o.write);
      },
    );
    const dynamodb = createDynamoDbClient(o.stack.dynamo.endpoint);
    attachProcessLife(dynamodb, life);
    o.throttling.attach(dynamodb);
    o.cleanups.add(async () => dynamodb.destroy());
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
      checkpoints: o.checkpoints,
      onFailure: o.onFailure,
      functionName: 'firstseen-alert-dispatcher',
      settings: {
        batchSize: 25,
        maximumBatchingWindowMs: 200,
        maximumRetryAttempts: 10,
        maximumRecordAgeSeconds: 21_600,
      },
      retryDelayMs: RETRY_DELAY_MS,
      pollIntervalMs: 100,
      logger: o.logger,
    });
    await poller.start();
    this.poller = poller;
    this.life = life;
  }
}
