import { sleep } from '../sleep';
import type { PublishClock } from '../workload/PublishClock';
import type { ProcessLife } from './crashableClient';
import type { ReceiverPhases } from './ReceiverPhases';
import type { RestartableDynamoDbLocal } from './RestartableDynamoDbLocal';

export interface FaultScheduleOptions {
  publishMs: number;
  downMs: number;
  rateLimitedMs: number;
  receivers: ReceiverPhases;
  /** Kills at random moments, for each crashable component: how many, and its running process. */
  kills: { count: number; life: () => ProcessLife | undefined }[];
  /** DynamoDB Local to restart at a quarter of the publishing time, if any. */
  restartDynamoDb: RestartableDynamoDbLocal | undefined;
  random: () => number;
  clock: PublishClock;
  write: (line: string) => void;
}

export interface FaultSchedule {
  /** Settles when every scheduled fault has happened. */
  finished: Promise<unknown>;
  dynamodbRestarts: number;
}

/**
 * Starts the faults timed from the start of publishing: the receivers' phases, kills at random
 * moments (on top of the processes' request-count and outbox-window deaths), and the DynamoDB
 * Local restart. The kill times are drawn here, synchronously, in that order.
 */
export function startFaultSchedule(o: FaultScheduleOptions): FaultSchedule {
  const schedule: FaultSchedule = { finished: Promise.resolve(), dynamodbRestarts: 0 };
  const timers: Promise<void>[] = [o.receivers.run(o.downMs, o.rateLimitedMs, o.clock, o.write)];
  // Kills at random moments (mid-batch, mid-request), on top of the request-count and outbox-window deaths.
  const killAt = (n: number) =>
    [...Array(n)].map(() => Math.round(o.random() * o.publishMs)).sort((a, b) => a - b);
  const scheduleKills = async (times: number[], life: () => ProcessLife | undefined) => {
    for (const t of times) {
      await sleep(Math.max(0, t - o.clock.elapsed()));
      life()?.die();
    }
  };
  for (const { count, life } of o.kills) timers.push(scheduleKills(killAt(count), life));
  const dynamo = o.restartDynamoDb;
  if (dynamo) {
    timers.push(
      (async () => {
        await sleep(o.publishMs * 0.25);
        o.write(`  ${o.clock.stamp()} stopping DynamoDB Local`);
        await dynamo.restart();
        schedule.dynamodbRestarts++;
        o.write(`  ${o.clock.stamp()} DynamoDB Local back on port ${dynamo.port}`);
      })(),
    );
  }
  schedule.finished = Promise.all(timers);
  return schedule;
}
