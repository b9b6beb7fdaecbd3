import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type CheckpointStore,
  createDynamoDbClient,
  type OnFailureDestination,
} from '@firstseen/local-stack';
import type { Logger } from 'pino';
import type { Cleanups } from '../Cleanups';
import { RETRY_DELAY_MS } from '../constants';
import { randomInt } from '../random';
import type { ChaosStack } from '../startChaosStack';
import type { PublishClock } from '../workload/PublishClock';
import { attachProcessLife, ProcessLife } from './crashableClient';
import { restartUntilUp } from './restartUntilUp';
import type { ThrottlingBursts } from './ThrottlingBursts';

/** What every crashable function (detector, dispatcher) is given. */
export interface CrashableProcessOptions {
  stack: ChaosStack;
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
 * A function as a succession of processes (Lambda containers): each dies (its I/O never
 * completes, its poller never checkpoints again) and is replaced by a new one, with cold
 * caches and new clients, that resumes from the shared checkpoints.
 */
export abstract class CrashableProcess<
  Poller extends { kill(): void },
  Options extends CrashableProcessOptions,
> {
  crashes = 0;
  /** The running process's poller, once it is up. */
  poller: Poller | undefined;
  /** The running process's life, once it is up: what a scheduled kill ends. */
  life: ProcessLife | undefined;

  constructor(
    /** `detector` or `dispatcher`, in progress lines. */
    private readonly name: string,
    protected readonly options: Options,
  ) {}

  /** Starts a new process (a cold start); rejects when it cannot come up (DynamoDB may be down). */
  abstract start(): Promise<void>;

  /**
   * A new process's life: it dies at a request number drawn now from [minRequest, maxRequest]
   * (if the crash budget and the fault window allow), killing `poller()` and starting the next.
   */
  protected newLife(minRequest: number, maxRequest: number, poller: () => Poller | undefined): ProcessLife {
    const o = this.options;
    return new ProcessLife(
      randomInt(o.random, minRequest, maxRequest),
      () => o.faultWindowOpen() && this.crashes < o.maxCrashes && !o.stopping(),
      () => {
        this.crashes++;
        poller()?.kill();
        o.write(`  ${o.clock.stamp()} ${this.name} killed (${this.crashes})`);
        void restartUntilUp(this.name, () => this.start(), o.stopping, o.write);
      },
    );
  }

  /** The process's DynamoDB client: tied to its life, throttled in the bursts, destroyed at the end. */
  protected dynamoDbClient(life: ProcessLife): DynamoDBClient {
    const o = this.options;
    const client = createDynamoDbClient(o.stack.dynamo.endpoint);
    attachProcessLife(client, life);
    o.throttling.attach(client);
    o.cleanups.add(async () => client.destroy());
    return client;
  }

  /** The event source mapping as in AWS (bounded retries, record age), with the run's retry pause. */
  protected mapping(batchSize: number) {
    const o = this.options;
    return {
      checkpoints: o.checkpoints,
      onFailure: o.onFailure,
      settings: {
        batchSize,
        maximumBatchingWindowMs: 200,
        maximumRetryAttempts: 10,
        maximumRecordAgeSeconds: 21_600,
      },
      retryDelayMs: RETRY_DELAY_MS,
      pollIntervalMs: 100,
      logger: o.logger,
    };
  }

  /** Marks the started process as the running one. */
  protected running(poller: Poller, life: ProcessLife): void {
    this.poller = poller;
    this.life = life;
  }
}
