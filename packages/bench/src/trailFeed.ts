import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DetectionEngine, decodeRecord, InMemoryBaselineStore } from '@firstseen/core';
import { type CloudTrailRecord, toCloudTrailFiles } from '@firstseen/generator';
import {
  createBucket,
  LocalQueue,
  objectCreatedNotification,
  startLocalPipeline,
  startLocalStack,
  startSlackReceiver,
} from '@firstseen/local-stack';
import { envSecretSource, loadSecrets } from '@firstseen/notify';
import { E2E_SLACK_SECRET, e2eConfig, percentile } from './e2eLatency';
import { SlackDeliveries } from './slackDeliveries';
import { generatedRecords, type WorkloadSpec } from './workload';

export interface TrailFeedOptions {
  /** Alerts to measure. */
  alerts: number;
  /** Events delivered (and alerted on) before the measured ones: warms DynamoDB Local's JVM. */
  warmupEvents: number;
  /** Pause between two log files' arrivals. */
  fileIntervalMs: number;
  timeoutMs: number;
}

/**
 * 50 alerts in both modes: files arrive one every fileIntervalMs, and the full workload's sparse
 * alerts would need thousands of files (tens of minutes) for 250.
 */
export const DEFAULT_TRAIL_FEED: TrailFeedOptions = {
  alerts: 50,
  warmupEvents: 50,
  fileIntervalMs: 100,
  timeoutMs: 180_000,
};

/** Requests one feed makes per 1,000 events (the detection engine's DynamoDB requests aside). */
export interface FeedRequests {
  /** EventBridge cross-account events and Kinesis records (PUT payload units of 25 KB): one each per event. */
  eventBridgeEvents: number;
  kinesisRecords: number;
  /** S3 GetObject: one per log file. */
  s3Gets: number;
  /** SQS ReceiveMessage calls that returned messages, and deletes (one per file, as the poller deletes). */
  sqsRequests: number;
  /** Lambda invocations of the feed's function (detector batches or trail-reader batches). */
  lambdaInvocations: number;
  /** The engine's DynamoDB requests (part 2's figure: the same engine code on either feed; twice with both). */
  dynamodb: number;
}

export interface TrailFeedResult {
  /** From a log file's arrival (its notification on the queue) to the Slack message naming the alert. */
  latencyMs: { p50: number; p99: number; max: number };
  alerts: number;
  events: number;
  files: number;
  eventsPerFile: number;
  /** Requests per 1,000 events, per `feed` setting. */
  requestsPer1kEvents: Record<'eventbridge' | 'trail' | 'both', FeedRequests>;
}

/** A LocalQueue that counts the SQS requests Lambda's poller makes for work (empty long polls aside). */
class CountingQueue extends LocalQueue {
  receives = 0;
  deletes = 0;
  override receive(max: number) {
    const got = super.receive(max);
    if (got.length > 0) this.receives++;
    return got;
  }
  override delete(receiptHandle: string): boolean {
    this.deletes++;
    return super.delete(receiptHandle);
  }
}

/**
 * The trail feed on the local stack (docs/semantics.md "Second feed"): generated events as
 * CloudTrail log files in s3rver, each announced by an S3 ObjectCreated notification on a local
 * queue, read by the trail reader (the same engine and outbox as the detector), delivered by the
 * dispatcher to a local Slack webhook. Latency is from a file's arrival to the Slack message;
 * CloudTrail's own delivery delay (about 5 minutes after the call) comes on top in AWS.
 */
export async function measureTrailFeed(
  spec: WorkloadSpec,
  engineDdbRequestsPer1k: number,
  detectorBatchSize: number,
  options: TrailFeedOptions = DEFAULT_TRAIL_FEED,
): Promise<TrailFeedResult> {
  const config = e2eConfig();
  const engine = new DetectionEngine({ store: new InMemoryBaselineStore(), config });
  const phases: { records: CloudTrailRecord[]; alerts: number }[] = [
    { records: [], alerts: 0 },
    { records: [], alerts: 0 },
  ];
  for (const r of generatedRecords({ ...spec, input: undefined })) {
    const phase = phases[0]!.records.length < options.warmupEvents ? phases[0]! : phases[1]!;
    phase.records.push(r as unknown as CloudTrailRecord);
    for (const d of decodeRecord(JSON.stringify(r))) {
      if (d.outcome === 'observed' && (await engine.detect(d.event)).alert) phase.alerts++;
    }
    if (phases[1]!.alerts >= options.alerts) break;
  }

  const receiver = await startSlackReceiver();
  const stack = await startLocalStack({ prefix: 'benchtrail', shards: 1 });
  const queue = new CountingQueue();
  const bucket = 'benchtrail-trail';
  let pipeline: Awaited<ReturnType<typeof startLocalPipeline>> | undefined;
  try {
    await createBucket(stack.clients.s3, bucket);
    pipeline = await startLocalPipeline({
      stack,
      config,
      secrets: await loadSecrets(
        config,
        envSecretSource({ [E2E_SLACK_SECRET]: `${receiver.baseUrl}/webhook` }),
      ),
      configName: 'bench trail config',
      logLevel: 'silent',
      dispatcher: { pollIntervalMs: 250 },
      failuresToS3: false,
      trail: { queue },
    });

    let files = 0;
    const deliveries = new SlackDeliveries(receiver);
    const runPhase = async (phase: { records: CloudTrailRecord[]; alerts: number }) => {
      const arrivedAt = new Map<string, number>();
      for (const file of toCloudTrailFiles(phase.records, { seed: `bench-${files}` })) {
        await stack.clients.s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: file.key,
            Body: gzipSync(JSON.stringify({ Records: file.records })),
          }),
        );
        const at = Date.now();
        queue.send(objectCreatedNotification(bucket, file.key, at));
        for (const r of file.records) arrivedAt.set(String(r.eventID), at);
        files++;
        await new Promise((resolve) => setTimeout(resolve, options.fileIntervalMs));
      }
      return deliveries.latencies(arrivedAt, phase.alerts, options.timeoutMs, 'trail-feed alerts');
    };
    await runPhase(phases[0]!);
    const warmFiles = files;
    const warmReceives = queue.receives;
    const warmDeletes = queue.deletes;
    const latencies = (await runPhase(phases[1]!)).sort((a, b) => a - b);
    const events = phases[1]!.records.length;
    const measuredFiles = files - warmFiles;
    const per1k = (n: number) => (n * 1000) / events;
    const trail: FeedRequests = {
      eventBridgeEvents: 0,
      kinesisRecords: 0,
      s3Gets: per1k(measuredFiles),
      sqsRequests: per1k(queue.receives - warmReceives + (queue.deletes - warmDeletes)),
      lambdaInvocations: per1k(queue.receives - warmReceives),
      dynamodb: engineDdbRequestsPer1k,
    };
    const eventbridge: FeedRequests = {
      eventBridgeEvents: 1000,
      kinesisRecords: 1000,
      s3Gets: 0,
      sqsRequests: 0,
      lambdaInvocations: 1000 / detectorBatchSize,
      dynamodb: engineDdbRequestsPer1k,
    };
    const both = Object.fromEntries(
      Object.keys(trail).map((k) => [
        k,
        trail[k as keyof FeedRequests] + eventbridge[k as keyof FeedRequests],
      ]),
    ) as unknown as FeedRequests;
    return {
      latencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies[latencies.length - 1] ?? 0,
      },
      alerts: latencies.length,
      events,
      files: measuredFiles,
      eventsPerFile: events / Math.max(1, measuredFiles),
      requestsPer1kEvents: { eventbridge, trail, both },
    };
  } finally {
    await pipeline?.stop().catch(() => undefined);
    await stack.stop();
    await receiver.stop();
  }
}
