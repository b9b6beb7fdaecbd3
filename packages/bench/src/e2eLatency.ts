import {
  type Config,
  DetectionEngine,
  decodeRecord,
  InMemoryBaselineStore,
  parseConfig,
  toEventBridgeEnvelope,
} from '@firstseen/core';
import {
  DEFAULT_MAPPING_SETTINGS,
  type PublishedEvent,
  publishEvents,
  startLocalPipeline,
  startLocalStack,
  startSlackReceiver,
} from '@firstseen/local-stack';
import { envSecretSource, loadSecrets } from '@firstseen/notify';
import { SlackDeliveries } from './slackDeliveries';
import { generatedRecords, type WorkloadSpec } from './workload';

export interface E2eOptions {
  /** Alerts to measure (at least this many are sent). */
  alerts: number;
  /** Events per PutRecords call, and the pause between calls: a steady stream, not one burst. */
  eventsPerPut: number;
  putIntervalMs: number;
  /** Idle pause of the Kinesis poller (Lambda reads each shard about once a second). */
  kinesisPollMs: number;
  /** Idle pause of the DynamoDB Streams poller (Lambda polls a stream shard 4 times a second). */
  streamsPollMs: number;
  timeoutMs: number;
  /** Events sent and delivered before the measured ones (warms DynamoDB Local's JVM). */
  warmupEvents: number;
}

export const DEFAULT_E2E: E2eOptions = {
  alerts: 250,
  eventsPerPut: 5,
  putIntervalMs: 200,
  kinesisPollMs: 1000,
  streamsPollMs: 250,
  timeoutMs: 180_000,
  warmupEvents: 300,
};

export interface E2eResult {
  alerts: number;
  events: number;
  /** Events per second offered to the stream. */
  eventsPerSecOffered: number;
  warmupEvents: number;
  p50: number;
  p99: number;
  max: number;
  /** The pollers' settings, as Lambda's event source mappings would have them. */
  pollers: {
    batchSize: number;
    maximumBatchingWindowMs: number;
    kinesisIdlePollMs: number;
    streamsIdlePollMs: number;
    shards: number;
  };
}

/** The Slack webhook secret of the bench's config (an environment variable name locally). */
export const E2E_SLACK_SECRET = 'FIRSTSEEN_BENCH_SLACK_WEBHOOK_URL';
const SECRET = E2E_SLACK_SECRET;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Every alert to Slack, one message per batch group; no burn-in, so a fresh baseline alerts at once. */
export function e2eConfig(): Config {
  return parseConfig(
    {
      burnInDays: 0,
      routing: {
        destinations: { slack: { type: 'slack', secret: SECRET } },
        rules: [{ destinations: ['slack'] }],
        stormThresholdPerMinute: 0,
      },
    },
    'bench e2e config',
  );
}

/**
 * Part 3: the local stack (kinesalite, DynamoDB Local, s3rver) with the real detector and
 * dispatcher behind Lambda-like pollers, delivering to a local Slack webhook. Generated events
 * go in with PutRecords at a steady pace; each alert's latency is from just before the
 * PutRecords call that carried its event to the arrival of the Slack message that names it.
 */
export async function measureE2eLatency(
  spec: WorkloadSpec,
  options: E2eOptions = DEFAULT_E2E,
): Promise<E2eResult> {
  const config = e2eConfig();
  // Warm-up events first (the JVM of DynamoDB Local and the pipeline's code paths), then the
  // events that make `options.alerts` alerts; an in-memory engine over the same sequence decides
  // which events alert.
  const engine = new DetectionEngine({ store: new InMemoryBaselineStore(), config });
  const phases: { records: Record<string, unknown>[]; alerts: number }[] = [
    { records: [], alerts: 0 },
    { records: [], alerts: 0 },
  ];
  for (const r of generatedRecords({ ...spec, input: undefined })) {
    const phase = phases[0]!.records.length < options.warmupEvents ? phases[0]! : phases[1]!;
    phase.records.push(r);
    for (const d of decodeRecord(JSON.stringify(r))) {
      if (d.outcome === 'observed' && (await engine.detect(d.event)).alert) phase.alerts++;
    }
    if (phases[1]!.alerts >= options.alerts) break;
  }

  const receiver = await startSlackReceiver();
  // TTL stays off (the default): the workload is dated 2025, its keys' expiry is behind the wall clock.
  const stack = await startLocalStack({ prefix: 'bench', shards: 2 });
  const stoppers: (() => Promise<void>)[] = [];
  try {
    const { clients, resources: res } = stack;
    const pipeline = await startLocalPipeline({
      stack,
      config,
      secrets: await loadSecrets(config, envSecretSource({ [SECRET]: `${receiver.baseUrl}/webhook` })),
      configName: 'bench e2e config',
      logLevel: 'silent',
      detector: { pollIntervalMs: options.kinesisPollMs },
      dispatcher: { pollIntervalMs: options.streamsPollMs },
      failuresToS3: false,
    });
    stoppers.push(() => pipeline.stop());

    const deliveries = new SlackDeliveries(receiver);
    const runPhase = async (phase: { records: Record<string, unknown>[]; alerts: number }) => {
      const published: PublishedEvent[] = [];
      for (let i = 0; i < phase.records.length; i += options.eventsPerPut) {
        const batch = phase.records.slice(i, i + options.eventsPerPut).map((r) => toEventBridgeEnvelope(r));
        published.push(...(await publishEvents(clients.kinesis, res.streamName, batch)));
        await new Promise((resolve) => setTimeout(resolve, options.putIntervalMs));
      }
      const putAt = new Map(published.map((p) => [p.eventId, p.putAt]));
      return deliveries.latencies(putAt, phase.alerts, options.timeoutMs, 'alerts');
    };
    await runPhase(phases[0]!);
    const measured = await runPhase(phases[1]!);
    const records = phases[1]!.records;
    const latencies = measured.sort((a, b) => a - b);
    return {
      alerts: latencies.length,
      events: records.length,
      eventsPerSecOffered: (options.eventsPerPut * 1000) / options.putIntervalMs,
      warmupEvents: phases[0]!.records.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? 0,
      pollers: {
        batchSize: DEFAULT_MAPPING_SETTINGS.batchSize,
        maximumBatchingWindowMs: DEFAULT_MAPPING_SETTINGS.maximumBatchingWindowMs,
        kinesisIdlePollMs: options.kinesisPollMs,
        streamsIdlePollMs: options.streamsPollMs,
        shards: 2,
      },
    };
  } finally {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    await stack.stop();
    await receiver.stop();
  }
}
