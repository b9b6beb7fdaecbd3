import {
  type CheckpointStore,
  compareSequence,
  createDynamoDbClient,
  type Receiver,
} from '@firstseen/local-stack';
import { postJson, redriveAlerts } from '@firstseen/notify';
import type { DeliverDepsFor } from '../chaosDeliverDeps';
import type { RestartableDynamoDbLocal } from '../faults/RestartableDynamoDbLocal';
import { sleep } from '../sleep';
import type { DeliveryTally } from '../verdict/tallyDeliveries';
import type { PublishClock } from './PublishClock';

export interface DrainOptions {
  /** What the receivers have accepted so far, against the expected alerts. */
  tally: () => DeliveryTally;
  /** The detector's checkpoints and the last sequence number published per shard. */
  checkpoints: CheckpointStore;
  lastSequence: ReadonlyMap<string, string>;
  timeoutMs: number;
  dynamo: RestartableDynamoDbLocal;
  deliverDeps: DeliverDepsFor;
  slack: Receiver;
  pagerDuty: Receiver;
  clock: PublishClock;
  write: (line: string) => void;
}

/**
 * Waits until every record is checkpointed and every expected alert delivered everywhere it
 * routes to (or the timeout), running the scheduled redrive when delivery stops making
 * progress; returns how many alerts the redrive delivered.
 */
/** Whether the detector has checkpointed every shard up to the last sequence number published. */
export async function kinesisCaughtUp(
  checkpoints: CheckpointStore,
  lastSequence: ReadonlyMap<string, string>,
): Promise<boolean> {
  for (const [shard, seq] of lastSequence) {
    const cp = await checkpoints.get(shard);
    if (cp === undefined || compareSequence(cp, seq) < 0) return false;
  }
  return true;
}

export async function drainPipeline(o: DrainOptions): Promise<{ redriven: number }> {
  const caughtUp = () => kinesisCaughtUp(o.checkpoints, o.lastSequence);
  const deadline = Date.now() + o.timeoutMs;
  let redriven = 0;
  let lastLost = Number.POSITIVE_INFINITY;
  let quietSince = Date.now();
  let nextProgress = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const lost = o.tally().lost.length;
    if (Date.now() > nextProgress) {
      nextProgress += 10_000;
      o.write(
        `  ${o.clock.stamp()} draining: ${lost} alerts not yet everywhere; detector caught up: ${await caughtUp()}; Slack ${o.slack.requests.length} requests, PagerDuty ${o.pagerDuty.requests.length}`,
      );
    }
    if ((await caughtUp()) && lost === 0) break;
    if (lost < lastLost) {
      lastLost = lost;
      quietSince = Date.now();
    } else if (Date.now() - quietSince > 15_000 && (await caughtUp())) {
      // The scheduled redrive (every 15 minutes in AWS): alerts whose stream retries ran out.
      const redriveClient = createDynamoDbClient(o.dynamo.endpoint);
      const report = await redriveAlerts(
        o.deliverDeps(redriveClient, postJson, () => 60_000),
        { minAgeMs: 0 },
      );
      redriveClient.destroy();
      redriven += report.delivered.length;
      o.write(
        `  ${o.clock.stamp()} redrive: ${report.attempted} attempted, ${report.delivered.length} delivered`,
      );
      quietSince = Date.now();
    }
    await sleep(250);
  }
  return { redriven };
}
