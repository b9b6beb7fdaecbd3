import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Alert } from '@firstseen/core';
import { createDetector, createDetectorLogger, processKinesisBatch } from '@firstseen/detector';
import { attachFaultInjector, throughputExceeded } from '@firstseen/dynamodb-store';
import { createOrganization, generateEvents, planAnomalies } from '@firstseen/generator';
import {
  compareSequence,
  createBucket,
  createDynamoDbClient,
  createDynamoDbStreamsClient,
  createS3Client,
  createTables,
  type DynamoDbLocal,
  DynamoDbStreamPoller,
  InMemoryCheckpointStore,
  KinesisPoller,
  S3OnFailureDestination,
  startDynamoDbLocal,
  startLocalEmulators,
  startPagerDutyReceiver,
  startSlackReceiver,
} from '@firstseen/local-stack';
import {
  createDeliverDeps,
  createNotifyLogger,
  DynamoDeliveryStateStore,
  dispatchAlerts,
  type PostJson,
  postJson,
  redriveAlerts,
} from '@firstseen/notify';
import { CountingDestination } from './CountingDestination';
import { chaosConfig } from './chaosConfig';
import { RETRY_DELAY_MS } from './constants';
import { attachProcessLife, never, ProcessLife } from './crashableClient';
import { type Put, planPuts } from './planPuts';
import { digestOf } from './poisonRecords';
import { ReceiverGate } from './ReceiverGate';
import { randomInt, seededRandom } from './random';
import { referenceAlerts } from './referenceAlerts';
import { sleep } from './sleep';
import { tallyDeliveries } from './tallyDeliveries';
import { traceOf } from './traceOf';
import type { ChaosOptions, ChaosReport } from './types';

const PREFIX = 'firstseen-chaos';
const ROUTING_KEY = 'chaos-routing-key-0123456789abcdef';
const STREAM_START = Date.parse('2024-06-03T00:00:00Z');
const DAY_MS = 86_400_000;

/**
 * `npm run chaos`: the whole pipeline on the local stack under injected faults, compared with
 * the in-memory reference engine. See the package README for the fault plan and the counting.
 */
export async function runChaos(options: ChaosOptions = {}): Promise<ChaosReport> {
  const started = Date.now();
  const seed = options.seed ?? 1;
  const write = options.write ?? (() => {});
  const random = seededRandom(seed);
  const publishMs = options.publishMs ?? 40_000;
  const downMs = options.receiversDownMs ?? Math.round(publishMs / 4);
  const rateLimitedMs = options.rateLimitedMs ?? Math.round(publishMs / 5);
  const serverErrorRate = options.serverErrorRate ?? 0.2;
  const logLevel = options.logLevel ?? 'silent';
  const config = chaosConfig();

  // The events, the faults in the stream, and the reference.
  const org = createOrganization({ seed });
  const end = STREAM_START + Math.round((options.hours ?? 2) * 3_600_000);
  const plan = planAnomalies(org, { start: STREAM_START - 120 * DAY_MS, liveStart: STREAM_START, end });
  const events = [
    ...generateEvents(org, {
      start: STREAM_START,
      end,
      eventsPerDay: options.eventsPerDay ?? 12_000,
      anomalies: plan,
    }),
  ] as unknown as Record<string, unknown>[];
  const { puts, duplicates, poison } = planPuts(events, random, options.poisonRate ?? 0.05);
  const expected = await referenceAlerts(puts, config, options.onDetection);
  const poisonDigests = new Set(poison.map((p) => p.digest));
  write(
    `${events.length} events, ${puts.length} records (${duplicates} producer-retry copies, ${poison.length} poison); ${expected.size} alerts expected`,
  );

  // The stack: DynamoDB Local on disk (it is restarted), kinesalite, s3rver; receivers behind gates.
  const dbPath = await mkdtemp(join(tmpdir(), 'firstseen-chaos-'));
  const cleanups: (() => Promise<unknown>)[] = [async () => rm(dbPath, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    let dynamo: DynamoDbLocal = await startDynamoDbLocal({ dbPath });
    cleanups.push(() => dynamo.stop());
    const emulators = await startLocalEmulators({ dynamodb: false });
    cleanups.push(() => emulators.stop());
    const kinesis = emulators.clients.kinesis!;
    const s3 = emulators.clients.s3!;
    const s3Endpoint = emulators.endpoints.s3!;
    const admin = createDynamoDbClient(dynamo.endpoint);
    const streams = createDynamoDbStreamsClient(dynamo.endpoint);
    cleanups.push(async () => {
      admin.destroy();
      streams.destroy();
    });
    // TTL off: DynamoDB Local's sweeper deletes items whose expiresAt is behind the wall clock,
    // and this scenario's events are fixed in June 2024 (so that a seed streams the same events
    // on any day), which puts every key's expiry (lastSeen + retentionDays, 400 by default) in
    // the past. With TTL on, keys vanished mid-run and later events claimed them again: one
    // extra alert in about one run in four, the mismatch this run used to report. Live, event
    // times follow the wall clock and TTL deletes only keys expired by DESIGN.md's rule; the
    // claim's write condition checks expiry either way.
    const tables = await createTables(admin, PREFIX, { enableTtl: false });
    const streamName = `${PREFIX}-events`;
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: options.shards ?? 2 }));
    for (;;) {
      const { StreamDescriptionSummary: s } = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: streamName }),
      );
      if (s?.StreamStatus === 'ACTIVE') break;
      await sleep(50);
    }
    const quarantineBucket = `${PREFIX}-quarantine`;
    const failuresBucket = `${PREFIX}-failures`;
    await createBucket(s3, quarantineBucket);
    await createBucket(s3, failuresBucket);

    const slack = await startSlackReceiver();
    const pagerDuty = await startPagerDutyReceiver();
    cleanups.push(
      () => slack.stop(),
      () => pagerDuty.stop(),
    );
    const slackGate = await ReceiverGate.open(Number(new URL(slack.baseUrl).port));
    const pdGate = await ReceiverGate.open(Number(new URL(pagerDuty.baseUrl).port));
    cleanups.push(
      () => slackGate.close(),
      () => pdGate.close(),
    );
    const secrets = new Map([
      ['FIRSTSEEN_SLACK_WEBHOOK_URL', `${slackGate.baseUrl}/webhook`],
      ['FIRSTSEEN_PAGERDUTY_ROUTING_KEY', ROUTING_KEY],
    ]);

    // Fault schedule, relative to the start of publishing.
    let t0 = Date.now();
    const elapsed = () => Date.now() - t0;
    const throttleBursts = [0.15, 0.55, 0.8].map((f) => [f * publishMs, f * publishMs + 2_000] as const);
    let throttled = 0;
    const throttle = (client: DynamoDBClient) =>
      attachFaultInjector(client, () => {
        const t = elapsed();
        if (!throttleBursts.some(([a, b]) => t >= a && t < b) || random() >= 0.5) return undefined;
        throttled++;
        return throughputExceeded('chaos: throttling burst');
      });
    const faultWindowOpen = () => elapsed() < publishMs * 1.1;

    // A killed process is replaced by a new one (cold start) until one comes up (DynamoDB may be down).
    let stopping = false;
    const restart = async (what: string, start: () => Promise<void>): Promise<void> => {
      for (let attempt = 1; !stopping; attempt++) {
        await sleep(300);
        try {
          await start();
          return;
        } catch (err) {
          if (attempt % 10 === 1) write(`  ${what} cold start failed (${String(err)}); retrying`);
        }
      }
    };

    // Detector processes: each a poller + detector with a cold cache, dying at a random request.
    const kinesisCheckpoints = new InMemoryCheckpointStore();
    const kinesisFailures = new CountingDestination(
      new S3OnFailureDestination({
        client: s3,
        bucket: failuresBucket,
        mappingId: 'detector',
        batchInfoName: 'KinesisBatchInfo',
      }),
    );
    let detectorCrashes = 0;
    let detectorPoller: KinesisPoller | undefined;
    let detectorLife: ProcessLife | undefined;
    const detectorLogger = createDetectorLogger({ level: logLevel });
    const startDetector = async (): Promise<void> => {
      const maxCrashes = options.detectorCrashes ?? 8;
      let poller: KinesisPoller | undefined;
      const life = new ProcessLife(
        randomInt(random, 40, 600),
        () => faultWindowOpen() && detectorCrashes < maxCrashes && !stopping,
        () => {
          detectorCrashes++;
          poller?.kill();
          write(`  [${(elapsed() / 1000).toFixed(1)} s] detector killed (${detectorCrashes})`);
          void restart('detector', startDetector);
        },
      );
      const dynamodb = createDynamoDbClient(dynamo.endpoint);
      const s3Client = createS3Client(s3Endpoint);
      attachProcessLife(dynamodb, life);
      attachProcessLife(s3Client, life);
      throttle(dynamodb);
      cleanups.push(async () => {
        dynamodb.destroy();
        s3Client.destroy();
      });
      const detector = createDetector(
        {
          baselineTable: tables.baseline.tableName,
          alertsTable: tables.alerts.tableName,
          quarantineBucket,
          configLocation: { kind: 'file', path: 'chaos config' },
          functionName: 'firstseen-detector',
          logLevel,
          s3ForcePathStyle: true,
          config,
        },
        { dynamodb, s3: s3Client, logger: detectorLogger, metrics: () => {} },
      );
      const onDetection = options.onDetection;
      if (onDetection) {
        const engine = detector.deps.engine;
        const detect = engine.detect.bind(engine);
        const by = `detector-${detectorCrashes}`;
        engine.detect = async (e, source) => {
          const detection = await detect(e, source);
          onDetection(traceOf(by, e, detection.fired));
          return detection;
        };
      }
      // Between the claims and the outbox write: the window where a crash must not lose the alert.
      const outbox = detector.deps.outbox;
      detector.deps.outbox = {
        put: (alert) => (random() < 0.01 && life.die() ? never() : outbox.put(alert)),
      };
      poller = new KinesisPoller({
        client: kinesis,
        streamName,
        handler: (event) => processKinesisBatch(event, detector.deps),
        checkpoints: kinesisCheckpoints,
        onFailure: kinesisFailures,
        functionName: 'firstseen-detector',
        settings: {
          batchSize: 100,
          maximumBatchingWindowMs: 200,
          maximumRetryAttempts: 10,
          maximumRecordAgeSeconds: 21_600,
        },
        retryDelayMs: RETRY_DELAY_MS,
        pollIntervalMs: 100,
        logger: detectorLogger,
      });
      await poller.start();
      detectorPoller = poller;
      detectorLife = life;
    };

    // Dispatcher processes: dying at a random request, or right after a destination accepted a message.
    const streamCheckpoints = new InMemoryCheckpointStore();
    const streamFailures = new CountingDestination(
      new S3OnFailureDestination({
        client: s3,
        bucket: failuresBucket,
        mappingId: 'alert-dispatcher',
        batchInfoName: 'DDBStreamBatchInfo',
      }),
    );
    const notifyLogger = createNotifyLogger({ name: 'alert-dispatcher', level: logLevel });
    let dispatcherCrashes = 0;
    let dispatcherPoller: DynamoDbStreamPoller | undefined;
    let dispatcherLife: ProcessLife | undefined;
    const retry = {
      maxAttempts: 4,
      baseDelayMs: 200,
      maxDelayMs: 2_000,
      requestTimeoutMs: 3_000,
      safetyMarginMs: 500,
    };
    const deliveryDeps = (client: DynamoDBClient, post: PostJson, remainingTimeMs: () => number) =>
      createDeliverDeps({
        config,
        secrets,
        store: new DynamoDeliveryStateStore(DynamoDBDocumentClient.from(client), tables.alerts.tableName),
        logger: notifyLogger,
        post,
        retry,
        remainingTimeMs,
        pagerDutyEventsUrl: `${pdGate.baseUrl}/v2/enqueue`,
      });
    const startDispatcher = async (): Promise<void> => {
      const maxCrashes = options.dispatcherCrashes ?? 5;
      let poller: DynamoDbStreamPoller | undefined;
      const life = new ProcessLife(
        randomInt(random, 20, 300),
        () => faultWindowOpen() && dispatcherCrashes < maxCrashes && !stopping,
        () => {
          dispatcherCrashes++;
          poller?.kill();
          write(`  [${(elapsed() / 1000).toFixed(1)} s] dispatcher killed (${dispatcherCrashes})`);
          void restart('dispatcher', startDispatcher);
        },
      );
      const dynamodb = createDynamoDbClient(dynamo.endpoint);
      attachProcessLife(dynamodb, life);
      throttle(dynamodb);
      cleanups.push(async () => dynamodb.destroy());
      const dieAfterAccepted = randomInt(random, 3, 25);
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
      const deps = deliveryDeps(dynamodb, post, () => 30_000 - (Date.now() - invokedAt));
      poller = new DynamoDbStreamPoller({
        client: streams,
        streamArn: tables.alerts.streamArn!,
        handler: (event) => {
          invokedAt = Date.now();
          return dispatchAlerts(event, deps);
        },
        checkpoints: streamCheckpoints,
        onFailure: streamFailures,
        functionName: 'firstseen-alert-dispatcher',
        settings: {
          batchSize: 25,
          maximumBatchingWindowMs: 200,
          maximumRetryAttempts: 10,
          maximumRecordAgeSeconds: 21_600,
        },
        retryDelayMs: RETRY_DELAY_MS,
        pollIntervalMs: 100,
        logger: notifyLogger,
      });
      await poller.start();
      dispatcherPoller = poller;
      dispatcherLife = life;
    };

    // Receivers: refused, then 429 with Retry-After, then random 500s.
    let phase: 'down' | 'rate-limited' | 'flaky' = 'down';
    const behaviour = () =>
      phase === 'rate-limited'
        ? ({ kind: 'status', status: 429, retryAfterSeconds: 1 } as const)
        : random() < serverErrorRate
          ? ({ kind: 'status', status: 500 } as const)
          : ({ kind: 'accept' } as const);
    slack.setBehaviour(behaviour);
    pagerDuty.setBehaviour(behaviour);
    await slackGate.setOpen(false);
    await pdGate.setOpen(false);

    await startDetector();
    await startDispatcher();
    t0 = Date.now();
    write(
      `publishing over ${(publishMs / 1000).toFixed(0)} s; Slack and PagerDuty refuse connections for ${(downMs / 1000).toFixed(0)} s`,
    );

    const timers: Promise<void>[] = [];
    timers.push(
      (async () => {
        await sleep(downMs);
        phase = 'rate-limited';
        await slackGate.setOpen(true);
        await pdGate.setOpen(true);
        write(`  [${(elapsed() / 1000).toFixed(1)} s] receivers up, answering 429 with Retry-After`);
        await sleep(rateLimitedMs);
        phase = 'flaky';
        write(
          `  [${(elapsed() / 1000).toFixed(1)} s] receivers answering 500 to ${serverErrorRate * 100}% of requests`,
        );
      })(),
    );
    // Kills at random moments (mid-batch, mid-request), on top of the request-count and outbox-window deaths.
    const killAt = (n: number) =>
      [...Array(n)].map(() => Math.round(random() * publishMs)).sort((a, b) => a - b);
    const scheduleKills = async (times: number[], life: () => ProcessLife | undefined) => {
      for (const t of times) {
        await sleep(Math.max(0, t - elapsed()));
        life()?.die();
      }
    };
    timers.push(
      scheduleKills(killAt(Math.ceil((options.detectorCrashes ?? 8) / 2)), () => detectorLife),
      scheduleKills(killAt(Math.ceil((options.dispatcherCrashes ?? 5) / 2)), () => dispatcherLife),
    );
    let dynamodbRestarts = 0;
    if (options.restartDynamoDb ?? true) {
      timers.push(
        (async () => {
          await sleep(publishMs * 0.25);
          write(`  [${(elapsed() / 1000).toFixed(1)} s] stopping DynamoDB Local`);
          const port = dynamo.port;
          await dynamo.stop();
          dynamo = await startDynamoDbLocal({ dbPath, port });
          dynamodbRestarts++;
          write(`  [${(elapsed() / 1000).toFixed(1)} s] DynamoDB Local back on port ${port}`);
        })(),
      );
    }

    // Publish in slices spread over publishMs, remembering the last sequence number per shard.
    const lastSequence = new Map<string, string>();
    const slice = 50;
    const pause = publishMs / Math.max(1, Math.ceil(puts.length / slice));
    for (let i = 0; i < puts.length; i += slice) {
      const chunk = puts.slice(i, i + slice);
      let pending = chunk;
      while (pending.length > 0) {
        const res = await kinesis.send(
          new PutRecordsCommand({
            StreamName: streamName,
            Records: pending.map((p) => ({ Data: p.data, PartitionKey: p.partitionKey })),
          }),
        );
        const again: Put[] = [];
        (res.Records ?? []).forEach((r, j) => {
          if (r.ErrorCode || !r.ShardId || !r.SequenceNumber) again.push(pending[j]!);
          else {
            const prev = lastSequence.get(r.ShardId);
            if (prev === undefined || compareSequence(r.SequenceNumber, prev) > 0)
              lastSequence.set(r.ShardId, r.SequenceNumber);
          }
        });
        pending = again;
      }
      await sleep(pause);
    }
    await Promise.all(timers);
    write(`  [${(elapsed() / 1000).toFixed(1)} s] published; draining`);

    // Drain: every record checkpointed, every expected alert delivered everywhere it routes to.
    const knownIds = new Set(expected.keys());
    const tally = () =>
      tallyDeliveries({
        expected,
        routing: config.routing,
        slackBodies: slack.accepted(),
        pagerDutyBodies: pagerDuty.accepted(),
        knownIds,
      });
    const caughtUp = async () => {
      for (const [shard, seq] of lastSequence) {
        const cp = await kinesisCheckpoints.get(shard);
        if (cp === undefined || compareSequence(cp, seq) < 0) return false;
      }
      return true;
    };
    const deadline = Date.now() + (options.drainTimeoutMs ?? 300_000);
    let redriven = 0;
    let lastLost = Number.POSITIVE_INFINITY;
    let quietSince = Date.now();
    let nextProgress = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const lost = tally().lost.length;
      if (Date.now() > nextProgress) {
        nextProgress += 10_000;
        write(
          `  [${(elapsed() / 1000).toFixed(1)} s] draining: ${lost} alerts not yet everywhere; detector caught up: ${await caughtUp()}; Slack ${slack.requests.length} requests, PagerDuty ${pagerDuty.requests.length}`,
        );
      }
      if ((await caughtUp()) && lost === 0) break;
      if (lost < lastLost) {
        lastLost = lost;
        quietSince = Date.now();
      } else if (Date.now() - quietSince > 15_000 && (await caughtUp())) {
        // The scheduled redrive (every 15 minutes in AWS): alerts whose stream retries ran out.
        const redriveClient = createDynamoDbClient(dynamo.endpoint);
        const report = await redriveAlerts(
          deliveryDeps(redriveClient, postJson, () => 60_000),
          { minAgeMs: 0 },
        );
        redriveClient.destroy();
        redriven += report.delivered.length;
        write(
          `  [${(elapsed() / 1000).toFixed(1)} s] redrive: ${report.attempted} attempted, ${report.delivered.length} delivered`,
        );
        quietSince = Date.now();
      }
      await sleep(250);
    }
    // A quiet period, so that a late duplicate would be seen.
    await sleep(2_000);
    stopping = true;
    await detectorPoller?.stop();
    await dispatcherPoller?.stop();

    // What was written and quarantined.
    const written = new Map<string, Alert>();
    for await (const page of paginateScan({ client: admin }, { TableName: tables.alerts.tableName })) {
      for (const item of page.Items ?? []) {
        const a = unmarshall(item) as Alert;
        written.set(a.alertId, a);
      }
    }
    let mismatchedLevels = 0;
    let unexpectedAlerts = 0;
    const mismatches: ChaosReport['mismatches'] = [];
    for (const [id, a] of written) {
      const e = expected.get(id);
      if (!e) {
        unexpectedAlerts++;
        mismatches.push({
          alertId: id,
          principal: a.principal,
          action: a.action,
          expected: [],
          written: a.levels,
        });
      } else if ([...e.levels].sort().join() !== [...a.levels].sort().join()) {
        mismatchedLevels++;
        mismatches.push({
          alertId: id,
          principal: a.principal,
          action: a.action,
          expected: e.levels,
          written: a.levels,
        });
      }
    }
    const quarantinedDigests = await quarantineDigests(s3, quarantineBucket);
    const quarantined = [...quarantinedDigests].filter((d) => poisonDigests.has(d)).length;
    const final = tally();
    const report: ChaosReport = {
      seed,
      events: events.length,
      recordsPublished: puts.length,
      duplicatesInjected: duplicates,
      poisonInjected: poisonDigests.size,
      crashesInjected: detectorCrashes + dispatcherCrashes,
      detectorCrashes,
      dispatcherCrashes,
      dynamodbRestarts,
      throttledRequests: throttled,
      expectedAlerts: expected.size,
      deliveredSlack: final.slack.delivered,
      deliveredPagerDuty: final.pagerduty.delivered,
      expectedSlack: final.slack.expected,
      expectedPagerDuty: final.pagerduty.expected,
      lost: final.lost.length,
      lostAlertIds: final.lost.slice(0, 20),
      duplicatePages: final.duplicatePages,
      pagerDutyRepeatTriggers: final.pagerDutyRepeatTriggers,
      duplicateSlack: final.duplicateSlack,
      quarantined,
      quarantinedValid: quarantinedDigests.size - quarantined,
      unexpectedAlerts: unexpectedAlerts + final.unexpected.filter((id) => !written.has(id)).length,
      mismatchedLevels,
      mismatches: mismatches.slice(0, 20),
      shardStalls: kinesisFailures.batches + streamFailures.batches,
      discardedRecords: kinesisFailures.records + streamFailures.records,
      redriven,
      durationMs: Date.now() - started,
      ok: false,
    };
    report.ok =
      report.lost === 0 &&
      report.duplicatePages === 0 &&
      report.quarantined === report.poisonInjected &&
      report.quarantinedValid === 0 &&
      report.unexpectedAlerts === 0 &&
      report.mismatchedLevels === 0;
    return report;
  } finally {
    await cleanup();
  }
}

async function quarantineDigests(
  s3: ReturnType<typeof createS3Client>,
  bucket: string,
): Promise<Set<string>> {
  const digests = new Set<string>();
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const o of out.Contents ?? []) {
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
      const parsed = JSON.parse(await body.Body!.transformToString()) as {
        data: string;
        dataEncoding: string;
      };
      digests.add(
        digestOf(
          parsed.dataEncoding === 'base64' ? Buffer.from(parsed.data, 'base64') : Buffer.from(parsed.data),
        ),
      );
    }
    token = out.NextContinuationToken;
  } while (token !== undefined);
  return digests;
}
