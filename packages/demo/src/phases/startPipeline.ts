import {
  createBucket,
  type LocalPipeline,
  LocalQueue,
  type LocalStack,
  startLocalPipeline,
} from '@firstseen/local-stack';
import { type ConsoleDelivery, createConsoleDestination } from '../consoleDestination';
import type { DemoContext } from '../context';
import type { Prepared } from './prepare';

/** The trail feed's bucket and queue (with its dead-letter queue). */
export interface TrailDelivery {
  bucket: string;
  queue: LocalQueue;
  deadLetters: LocalQueue;
}

export interface RunningPipeline {
  pipeline: LocalPipeline;
  trail: TrailDelivery;
  /** Every alert the console destination delivered, in order. */
  deliveries: ConsoleDelivery[];
}

/**
 * The pipeline as in AWS (detector, alerts stream, dispatcher; the trail-reader for the trail
 * feed); `console` is a readable destination beside Slack / PagerDuty.
 */
export async function startPipeline(
  ctx: DemoContext,
  stack: LocalStack,
  { config, secrets, receiverUrls }: Prepared,
): Promise<RunningPipeline> {
  const feed = ctx.options.feed ?? 'eventbridge';
  const deadLetters = new LocalQueue({ name: 'firstseen-trail-dlq' });
  const trail: TrailDelivery = {
    bucket: 'firstseen-org-trail',
    queue: new LocalQueue({ visibilityTimeoutMs: 5_000, maxReceiveCount: 5, deadLetterQueue: deadLetters }),
    deadLetters,
  };
  if (feed !== 'eventbridge') await createBucket(stack.clients.s3, trail.bucket);

  const deliveries: ConsoleDelivery[] = [];
  const pipeline = await startLocalPipeline({
    ...(feed === 'eventbridge' ? {} : { trail: { queue: trail.queue } }),
    stack,
    config,
    secrets,
    configName: 'local demo config',
    logLevel: ctx.options.logLevel ?? 'warn',
    detector: { settings: { batchSize: 500 } },
    dispatcher: {
      ...receiverUrls,
      settings: { batchSize: 25 },
      channels: new Map([
        ['console', createConsoleDestination({ write: ctx.write, onDelivery: (d) => deliveries.push(d) })],
      ]),
    },
  });
  return { pipeline, trail, deliveries };
}
