import { type Config, toEventBridgeEnvelope } from '@firstseen/core';
import type { AnomalyPlan } from '@firstseen/generator';
import {
  deliverTrailFiles,
  type LocalStack,
  LocalStackError,
  type PublishedEvent,
  publishEvents,
} from '@firstseen/local-stack';
import type { DemoContext } from '../context';
import { waitFor, waitForCheckpoints } from '../wait';
import type { LivePeriod } from './expectAlerts';
import type { RunningPipeline } from './startPipeline';

export interface PublishedLivePeriod {
  /** The records put on Kinesis (none for the trail feed alone), with their put times. */
  published: PublishedEvent[];
  /** When publishing started (epoch milliseconds). */
  startedAt: number;
}

/**
 * The live period into the feed(s): EventBridge envelopes onto Kinesis, and/or CloudTrail log
 * files into the trail bucket with their notifications on the queue; returns once the detector
 * has read every record and every notification (none dead-lettered).
 */
export async function publishLiveEvents(
  ctx: DemoContext,
  stack: LocalStack,
  { pipeline, trail }: RunningPipeline,
  live: LivePeriod,
  plan: AnomalyPlan,
): Promise<PublishedLivePeriod> {
  const feed: Config['feed'] = ctx.options.feed ?? 'eventbridge';
  const startedAt = Date.now();
  let published: PublishedEvent[] = [];
  if (feed !== 'trail') {
    ctx.write(
      `Streaming ${live.records.length} live events through Kinesis (${plan.truth.length} injected anomalies)...\n\n`,
    );
    published = await publishEvents(
      stack.clients.kinesis,
      stack.resources.streamName,
      live.records.map((r) => toEventBridgeEnvelope(r)),
    );
    await waitForCheckpoints(pipeline.kinesisCheckpoints, published, ctx.drainTimeoutMs, ctx.signal);
  }
  if (feed !== 'eventbridge') {
    const files = await deliverTrailFiles({
      s3: stack.clients.s3,
      bucket: trail.bucket,
      queue: trail.queue,
      records: live.records,
    });
    ctx.write(
      `Delivered ${files.records} live events as ${files.files} CloudTrail log files to s3://${trail.bucket} (${plan.truth.length} injected anomalies)...\n\n`,
    );
    await waitFor(
      () => trail.queue.size === 0,
      ctx.drainTimeoutMs,
      () => `${trail.queue.size} trail notifications still queued`,
      ctx.signal,
    );
    if (trail.deadLetters.size > 0) {
      throw new LocalStackError(
        `${trail.deadLetters.size} trail notifications went to the dead-letter queue`,
      );
    }
  }
  return { published, startedAt };
}
