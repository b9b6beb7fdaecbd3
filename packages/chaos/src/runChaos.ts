import { createLogger } from '@firstseen/core';
import { InMemoryCheckpointStore, S3OnFailureDestination } from '@firstseen/local-stack';
import { Cleanups } from './Cleanups';
import { chaosConfig } from './chaosConfig';
import { chaosDeliverDeps } from './chaosDeliverDeps';
import { CrashableDetector } from './faults/CrashableDetector';
import { CrashableDispatcher } from './faults/CrashableDispatcher';
import { ReceiverPhases } from './faults/ReceiverPhases';
import { startFaultSchedule } from './faults/startFaultSchedule';
import { ThrottlingBursts } from './faults/ThrottlingBursts';
import { seededRandom } from './random';
import { sleep } from './sleep';
import type { ChaosStack } from './startChaosStack';
import { startChaosStack } from './startChaosStack';
import { ChaosTrailFeed, inTrailOrder } from './trailFeed/ChaosTrailFeed';
import { dropEventBridge } from './trailFeed/dropEventBridge';
import type { ChaosOptions, ChaosReport } from './types';
import { CountingDestination } from './verdict/CountingDestination';
import { compareWithReference } from './verdict/compareWithReference';
import { quarantineDigests } from './verdict/quarantineDigests';
import { referenceAlerts } from './verdict/referenceAlerts';
import { tallyDeliveries } from './verdict/tallyDeliveries';
import { postedSlackBodies, slackThreadWindowMs, tallyThreads } from './verdict/threadsOpened';
import { chaosEvents } from './workload/chaosEvents';
import { drainPipeline, kinesisCaughtUp } from './workload/drainPipeline';
import { PublishClock } from './workload/PublishClock';
import { planPuts } from './workload/planPuts';
import { publishRecords } from './workload/publishRecords';

/**
 * `npm run chaos`: the whole pipeline on the local stack under injected faults, compared with
 * the in-memory reference engine. See the package README for the fault plan and the counting.
 *
 * Every fault decision comes from one seeded PRNG, `random`, so the order of the phases below is
 * part of the behaviour: the producer retries and poison are drawn first, then each process's
 * death when it starts, then the kill times; throttling, outbox-window deaths and receiver
 * errors are drawn at request time.
 */
export async function runChaos(options: ChaosOptions = {}): Promise<ChaosReport> {
  const run = settingsOf(options);
  const workload = await planWorkload(run);
  const cleanups = new Cleanups();
  try {
    const stack = await startChaosStack(cleanups, { shards: options.shards ?? 2 });
    const pipeline = await startPipeline(run, stack, cleanups);
    const published = await publishUnderFaults(run, workload, stack, pipeline);
    const { redriven, tally } = await drain(run, workload, stack, pipeline, published.lastSequence);
    return await verdict(run, workload, stack, pipeline, { ...published, redriven, tally });
  } finally {
    await cleanups.run();
  }
}

/** The run's options with their defaults, the PRNG and the detection config. */
function settingsOf(options: ChaosOptions) {
  const seed = options.seed ?? 1;
  const publishMs = options.publishMs ?? 40_000;
  const slackMode = options.slackMode ?? 'bot';
  return {
    options,
    started: Date.now(),
    seed,
    write: options.write ?? (() => {}),
    random: seededRandom(seed),
    publishMs,
    downMs: options.receiversDownMs ?? Math.round(publishMs / 4),
    rateLimitedMs: options.rateLimitedMs ?? Math.round(publishMs / 5),
    serverErrorRate: options.serverErrorRate ?? 0.2,
    logLevel: options.logLevel ?? 'silent',
    maxDetectorCrashes: options.detectorCrashes ?? 8,
    maxDispatcherCrashes: options.dispatcherCrashes ?? 5,
    drainTimeoutMs: options.drainTimeoutMs ?? 300_000,
    feed: options.feed ?? 'eventbridge',
    slackMode,
    config: chaosConfig(slackMode),
  };
}
type Run = ReturnType<typeof settingsOf>;

/** The events, the faults in the stream (retries, poison, EventBridge drops) and the reference alerts. */
async function planWorkload(run: Run) {
  const { options, seed, random, config } = run;
  const events = chaosEvents(seed, options.hours ?? 2, options.eventsPerDay ?? 12_000);
  const { puts, duplicates, poison } = planPuts(events, random, options.poisonRate ?? 0.05);
  // EventBridge drops, from a PRNG of their own so that the other faults stay as they were.
  const eventBridge = dropEventBridge(puts, options.dropEventBridge ?? 0, seededRandom(seed + 0x7ea11));
  // With both feeds, the pipeline sees what EventBridge delivered, then (minutes later) the log
  // files: a dropped event alerts from its file unless a later sighting of its key came first.
  const observed = run.feed === 'both' ? [...eventBridge.kept, ...inTrailOrder(events)] : puts;
  const expected = await referenceAlerts(observed, config, options.onDetection);
  const poisonDigests = new Set(poison.map((p) => p.digest));
  run.write(
    `${events.length} events, ${puts.length} records (${duplicates} producer-retry copies, ${poison.length} poison); ${expected.size} alerts expected`,
  );
  return { events, puts, duplicates, eventBridge, expected, poisonDigests };
}
type Workload = Awaited<ReturnType<typeof planWorkload>>;

/**
 * The crashable detector and dispatcher with their pollers, failure destinations and
 * checkpoints, the receivers down, and the trail feed when asked for. Faults are timed from the
 * start of publishing; crashes only while publishing (and a little after).
 */
async function startPipeline(run: Run, stack: ChaosStack, cleanups: Cleanups) {
  const { config, logLevel, random, write } = run;
  const clock = new PublishClock();
  const throttling = new ThrottlingBursts(run.publishMs, clock, random);
  const faultWindowOpen = () => clock.elapsed() < run.publishMs * 1.1;
  const state = { stopping: false };
  const isStopping = () => state.stopping;

  const kinesisCheckpoints = new InMemoryCheckpointStore();
  const kinesisFailures = new CountingDestination(
    new S3OnFailureDestination({
      client: stack.s3,
      bucket: stack.failuresBucket,
      mappingId: 'detector',
      batchInfoName: 'KinesisBatchInfo',
    }),
  );
  const detector = new CrashableDetector({
    stack,
    config,
    logLevel,
    checkpoints: kinesisCheckpoints,
    onFailure: kinesisFailures,
    logger: createLogger({ name: 'detector', level: logLevel }),
    random,
    maxCrashes: run.maxDetectorCrashes,
    faultWindowOpen,
    stopping: isStopping,
    throttling,
    onDetection: run.options.onDetection,
    clock,
    cleanups,
    write,
  });

  const streamFailures = new CountingDestination(
    new S3OnFailureDestination({
      client: stack.s3,
      bucket: stack.failuresBucket,
      mappingId: 'alert-dispatcher',
      batchInfoName: 'DDBStreamBatchInfo',
    }),
  );
  const notifyLogger = createLogger({ name: 'alert-dispatcher', level: logLevel });
  const deliverDeps = chaosDeliverDeps({
    config,
    secrets: stack.secrets,
    alertsTable: stack.tables.alerts.tableName,
    logger: notifyLogger,
    pagerDutyEventsUrl: `${stack.pagerDutyGate.baseUrl}/v2/enqueue`,
    slackApiBaseUrl: `${stack.slackGate.baseUrl}/api`,
  });
  const dispatcher = new CrashableDispatcher({
    stack,
    deliverDeps,
    checkpoints: new InMemoryCheckpointStore(),
    onFailure: streamFailures,
    logger: notifyLogger,
    random,
    maxCrashes: run.maxDispatcherCrashes,
    faultWindowOpen,
    stopping: isStopping,
    throttling,
    clock,
    cleanups,
    write,
  });

  const receivers = new ReceiverPhases(stack, random, run.serverErrorRate);
  await receivers.goDown();

  await detector.start();
  await dispatcher.start();
  const trail =
    run.feed === 'both'
      ? await ChaosTrailFeed.start({
          stack,
          config,
          logLevel,
          logger: createLogger({ name: 'trail-reader', level: logLevel }),
          cleanups,
        })
      : undefined;
  return {
    clock,
    throttling,
    receivers,
    detector,
    dispatcher,
    deliverDeps,
    kinesisCheckpoints,
    kinesisFailures,
    streamFailures,
    trail,
    /** Stops both pollers; their processes no longer crash. */
    async stop(): Promise<void> {
      state.stopping = true;
      await detector.poller?.stop();
      await dispatcher.poller?.stop();
    },
  };
}
type Pipeline = Awaited<ReturnType<typeof startPipeline>>;

/** Publishes the records over `publishMs` while the fault schedule runs; then the trail's files. */
async function publishUnderFaults(run: Run, workload: Workload, stack: ChaosStack, pipeline: Pipeline) {
  const { clock, detector, dispatcher, receivers, trail } = pipeline;
  clock.restart();
  run.write(
    `publishing over ${(run.publishMs / 1000).toFixed(0)} s; Slack and PagerDuty refuse connections for ${(run.downMs / 1000).toFixed(0)} s`,
  );
  const faults = startFaultSchedule({
    publishMs: run.publishMs,
    downMs: run.downMs,
    rateLimitedMs: run.rateLimitedMs,
    receivers,
    kills: [
      { count: Math.ceil(run.maxDetectorCrashes / 2), life: () => detector.life },
      { count: Math.ceil(run.maxDispatcherCrashes / 2), life: () => dispatcher.life },
    ],
    restartDynamoDb: (run.options.restartDynamoDb ?? true) ? stack.dynamo : undefined,
    random: run.random,
    clock,
    write: run.write,
  });
  const lastSequence = await publishRecords(
    stack.kinesis,
    stack.streamName,
    workload.eventBridge.kept,
    run.publishMs,
  );
  // CloudTrail's files land minutes after EventBridge's events: here, once the detector has read
  // every published record.
  if (trail) {
    const until = Date.now() + run.drainTimeoutMs;
    while (!(await kinesisCaughtUp(pipeline.kinesisCheckpoints, lastSequence)) && Date.now() < until)
      await sleep(250);
    await trail.deliver(workload.events);
  }
  await faults.finished;
  run.write(`  ${clock.stamp()} published; draining`);
  return { lastSequence, dynamodbRestarts: faults.dynamodbRestarts };
}

/** Every record checkpointed, every expected alert delivered everywhere it routes to; then quiet. */
async function drain(
  run: Run,
  workload: Workload,
  stack: ChaosStack,
  pipeline: Pipeline,
  lastSequence: Awaited<ReturnType<typeof publishRecords>>,
) {
  const knownIds = new Set(workload.expected.keys());
  const tally = () =>
    tallyDeliveries({
      expected: workload.expected,
      routing: run.config.routing,
      slackBodies: postedSlackBodies(stack.slack),
      pagerDutyBodies: stack.pagerDuty.accepted(),
      knownIds,
    });
  const { redriven } = await drainPipeline({
    tally,
    checkpoints: pipeline.kinesisCheckpoints,
    lastSequence,
    timeoutMs: run.drainTimeoutMs,
    dynamo: stack.dynamo,
    deliverDeps: pipeline.deliverDeps,
    slack: stack.slack,
    pagerDuty: stack.pagerDuty,
    clock: pipeline.clock,
    write: run.write,
  });
  await pipeline.trail?.waitDrained(run.drainTimeoutMs);
  // A quiet period, so that a late duplicate would be seen.
  await sleep(2_000);
  await pipeline.stop();
  return { redriven, tally };
}

/** What was written, quarantined and delivered, against the reference: the report and `ok`. */
async function verdict(
  run: Run,
  workload: Workload,
  stack: ChaosStack,
  pipeline: Pipeline,
  outcome: { dynamodbRestarts: number; redriven: number; tally: () => ReturnType<typeof tallyDeliveries> },
): Promise<ChaosReport> {
  const { expected, poisonDigests } = workload;
  const { detector, dispatcher, trail, kinesisFailures, streamFailures } = pipeline;
  const { written, unexpectedAlerts, mismatchedLevels, mismatches } = await compareWithReference(
    stack.admin,
    stack.tables.alerts.tableName,
    expected,
  );
  const quarantinedDigests = await quarantineDigests(stack.s3, stack.quarantineBucket);
  const quarantined = [...quarantinedDigests].filter((d) => poisonDigests.has(d)).length;
  const final = outcome.tally();
  const report: ChaosReport = {
    seed: run.seed,
    events: workload.events.length,
    recordsPublished: workload.puts.length,
    duplicatesInjected: workload.duplicates,
    poisonInjected: poisonDigests.size,
    crashesInjected: detector.crashes + dispatcher.crashes,
    detectorCrashes: detector.crashes,
    dispatcherCrashes: dispatcher.crashes,
    dynamodbRestarts: outcome.dynamodbRestarts,
    throttledRequests: pipeline.throttling.throttled,
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
    slackMode: run.slackMode,
    ...(run.slackMode === 'bot' && tallyThreads(stack.slack.messages, slackThreadWindowMs(run.config))),
    quarantined,
    quarantinedValid: quarantinedDigests.size - quarantined,
    unexpectedAlerts: unexpectedAlerts + final.unexpected.filter((id) => !written.has(id)).length,
    mismatchedLevels,
    mismatches: mismatches.slice(0, 20),
    shardStalls: kinesisFailures.batches + streamFailures.batches,
    discardedRecords: kinesisFailures.records + streamFailures.records,
    redriven: outcome.redriven,
    durationMs: Date.now() - run.started,
    feed: run.feed,
    eventBridgeDropped: workload.eventBridge.dropped,
    alertsFromTrail: trail?.alertsFromTrail ?? 0,
    trailFiles: trail?.files ?? 0,
    trailDeadLettered: trail?.deadLetters.size ?? 0,
    ok: false,
  };
  report.ok =
    report.lost === 0 &&
    report.duplicatePages === 0 &&
    (report.duplicateThreads ?? 0) === 0 &&
    report.quarantined === report.poisonInjected &&
    report.quarantinedValid === 0 &&
    report.unexpectedAlerts === 0 &&
    report.mismatchedLevels === 0 &&
    report.trailDeadLettered === 0;
  return report;
}
