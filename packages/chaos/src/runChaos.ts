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
 * Every fault decision comes from one seeded PRNG, `random`, so the order of the steps below is
 * part of the behaviour: the producer retries and poison are drawn first, then each process's
 * death when it starts, then the kill times; throttling, outbox-window deaths and receiver
 * errors are drawn at request time.
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
  const maxDetectorCrashes = options.detectorCrashes ?? 8;
  const maxDispatcherCrashes = options.dispatcherCrashes ?? 5;
  const slackMode = options.slackMode ?? 'bot';
  const config = chaosConfig(slackMode);

  // The events, the faults in the stream, and the reference.
  const events = chaosEvents(seed, options.hours ?? 2, options.eventsPerDay ?? 12_000);
  const { puts, duplicates, poison } = planPuts(events, random, options.poisonRate ?? 0.05);
  // EventBridge drops, from a PRNG of their own so that the other faults stay as they were.
  const feed = options.feed ?? 'eventbridge';
  const eventBridge = dropEventBridge(puts, options.dropEventBridge ?? 0, seededRandom(seed + 0x7ea11));
  // With both feeds, the pipeline sees what EventBridge delivered, then (minutes later) the log
  // files: a dropped event alerts from its file unless a later sighting of its key came first.
  const observed = feed === 'both' ? [...eventBridge.kept, ...inTrailOrder(events)] : puts;
  const expected = await referenceAlerts(observed, config, options.onDetection);
  const poisonDigests = new Set(poison.map((p) => p.digest));
  write(
    `${events.length} events, ${puts.length} records (${duplicates} producer-retry copies, ${poison.length} poison); ${expected.size} alerts expected`,
  );

  const cleanups = new Cleanups();
  try {
    const stack = await startChaosStack(cleanups, { shards: options.shards ?? 2 });

    // Faults are timed from the start of publishing; crashes only while publishing (and a little after).
    const clock = new PublishClock();
    const throttling = new ThrottlingBursts(publishMs, clock, random);
    const faultWindowOpen = () => clock.elapsed() < publishMs * 1.1;
    let stopping = false;
    const isStopping = () => stopping;

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
      maxCrashes: maxDetectorCrashes,
      faultWindowOpen,
      stopping: isStopping,
      throttling,
      onDetection: options.onDetection,
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
      maxCrashes: maxDispatcherCrashes,
      faultWindowOpen,
      stopping: isStopping,
      throttling,
      clock,
      cleanups,
      write,
    });

    const receivers = new ReceiverPhases(stack, random, serverErrorRate);
    await receivers.goDown();

    await detector.start();
    await dispatcher.start();
    const trail =
      feed === 'both'
        ? await ChaosTrailFeed.start({
            stack,
            config,
            logLevel,
            logger: createLogger({ name: 'trail-reader', level: logLevel }),
            cleanups,
          })
        : undefined;
    clock.restart();
    write(
      `publishing over ${(publishMs / 1000).toFixed(0)} s; Slack and PagerDuty refuse connections for ${(downMs / 1000).toFixed(0)} s`,
    );
    const faults = startFaultSchedule({
      publishMs,
      downMs,
      rateLimitedMs,
      receivers,
      kills: [
        { count: Math.ceil(maxDetectorCrashes / 2), life: () => detector.life },
        { count: Math.ceil(maxDispatcherCrashes / 2), life: () => dispatcher.life },
      ],
      restartDynamoDb: (options.restartDynamoDb ?? true) ? stack.dynamo : undefined,
      random,
      clock,
      write,
    });
    const lastSequence = await publishRecords(stack.kinesis, stack.streamName, eventBridge.kept, publishMs);
    // CloudTrail's files land minutes after EventBridge's events: here, once the detector has read
    // every published record.
    if (trail) {
      const until = Date.now() + (options.drainTimeoutMs ?? 300_000);
      while (!(await kinesisCaughtUp(kinesisCheckpoints, lastSequence)) && Date.now() < until)
        await sleep(250);
      await trail.deliver(events);
    }
    await faults.finished;
    write(`  ${clock.stamp()} published; draining`);

    // Drain: every record checkpointed, every expected alert delivered everywhere it routes to.
    const knownIds = new Set(expected.keys());
    const tally = () =>
      tallyDeliveries({
        expected,
        routing: config.routing,
        slackBodies: postedSlackBodies(stack.slack),
        pagerDutyBodies: stack.pagerDuty.accepted(),
        knownIds,
      });
    const { redriven } = await drainPipeline({
      tally,
      checkpoints: kinesisCheckpoints,
      lastSequence,
      timeoutMs: options.drainTimeoutMs ?? 300_000,
      dynamo: stack.dynamo,
      deliverDeps,
      slack: stack.slack,
      pagerDuty: stack.pagerDuty,
      clock,
      write,
    });
    await trail?.waitDrained(options.drainTimeoutMs ?? 300_000);
    // A quiet period, so that a late duplicate would be seen.
    await sleep(2_000);
    stopping = true;
    await detector.poller?.stop();
    await dispatcher.poller?.stop();

    // What was written and quarantined.
    const { written, unexpectedAlerts, mismatchedLevels, mismatches } = await compareWithReference(
      stack.admin,
      stack.tables.alerts.tableName,
      expected,
    );
    const quarantinedDigests = await quarantineDigests(stack.s3, stack.quarantineBucket);
    const quarantined = [...quarantinedDigests].filter((d) => poisonDigests.has(d)).length;
    const final = tally();
    const report: ChaosReport = {
      seed,
      events: events.length,
      recordsPublished: puts.length,
      duplicatesInjected: duplicates,
      poisonInjected: poisonDigests.size,
      crashesInjected: detector.crashes + dispatcher.crashes,
      detectorCrashes: detector.crashes,
      dispatcherCrashes: dispatcher.crashes,
      dynamodbRestarts: faults.dynamodbRestarts,
      throttledRequests: throttling.throttled,
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
      slackMode,
      ...(slackMode === 'bot' && tallyThreads(stack.slack.messages, slackThreadWindowMs(config))),
      quarantined,
      quarantinedValid: quarantinedDigests.size - quarantined,
      unexpectedAlerts: unexpectedAlerts + final.unexpected.filter((id) => !written.has(id)).length,
      mismatchedLevels,
      mismatches: mismatches.slice(0, 20),
      shardStalls: kinesisFailures.batches + streamFailures.batches,
      discardedRecords: kinesisFailures.records + streamFailures.records,
      redriven,
      durationMs: Date.now() - started,
      feed,
      eventBridgeDropped: eventBridge.dropped,
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
  } finally {
    await cleanups.run();
  }
}
