import type { Config } from '@firstseen/core';
import type { TableDefinition } from '@firstseen/dynamodb-store';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { defaultSlackSigningSecretName, GLOBAL_EVENTS_REGION, ORG_ID_PATTERN } from './constants';
import { InfraConfigError } from './errors';
import type { FunctionSettings, ScheduledSettings, StreamConsumerSettings } from './FirstseenFunction';
import { createAlarms } from './pipeline/alarms';
import { createAlarmTopic, notifyFailedBatches } from './pipeline/alarmTopic';
import { createBuckets } from './pipeline/buckets';
import { createEncryptionKey } from './pipeline/encryptionKey';
import { createEventIngest } from './pipeline/eventIngest';
import { createEventSourceMappings } from './pipeline/eventSourceMappings';
import { createFunctions, type PipelineFunctionSet, slackTriageEnabled } from './pipeline/functions';
import { createSchedules } from './pipeline/schedules';
import { createSecrets } from './pipeline/secrets';
import { createTables } from './pipeline/tables';
import {
  connectTrailFeed,
  createTrailQueues,
  TRAIL_READER_DEFAULTS,
  type TrailFeedSettings,
  type TrailQueues,
} from './pipeline/trailFeed';
import { validateRegions } from './regions';
import type { SecureBucket } from './SecureBucket';

export interface FirstseenPipelineArgs {
  /** Prefix of every physical name. Default `firstseen`. */
  namePrefix?: string;
  /** The AWS Organization id (`o-...`): only its principals may put events on the bus. */
  orgId: string;
  /** The validated detection and routing config (`parseConfig`), shipped inside every bundle. */
  config: Config;
  /** The repository's handlers/ folder; each function's bundle is `<name>/dist/index.js`. */
  handlersDir: string;
  stream?: {
    /** `ON_DEMAND` (default) scales by itself; `PROVISIONED` uses `shardCount`. */
    mode?: 'ON_DEMAND' | 'PROVISIONED';
    shardCount?: number;
    /** Default 168 (7 days), so a stalled detector has a week before events are lost. */
    retentionHours?: number;
  };
  detector?: StreamConsumerSettings;
  dispatcher?: StreamConsumerSettings;
  redrive?: ScheduledSettings;
  watchdog?: ScheduledSettings & {
    /** An (account, region) silent for longer than this raises an alert. Default 60. */
    silenceMinutes?: number;
    /** An expected (account, region) that never sent an event alerts after this many hours. Default 24. */
    neverReportedGraceHours?: number;
  };
  /**
   * The regions the organization forwards from: the watchdog expects every ACTIVE account to
   * send events from each of them. Default: only us-east-1 (global service events).
   */
  forwardedRegions?: string[];
  /**
   * The Slack triage endpoint (issue 11): a function URL, every request verified in code.
   * Created only when a Slack destination of the config is `interactive`.
   */
  triage?: FunctionSettings & {
    /** Secret holding the Slack app's signing secret. Default `<namePrefix>/slack-signing`. */
    signingSecretName?: string;
    /** What an Expected decision suppresses besides principal and action. Default `action` (org-wide). */
    expectedScope?: 'action' | 'account' | 'region';
  };
  /** Days invalid records stay in the quarantine bucket. Default 30. */
  quarantineRetentionDays?: number;
  /** Days failed batches stay in the failure bucket. Default 14. */
  failureRetentionDays?: number;
  logRetentionDays?: number;
  /** Subscribe this address to the alarm topic (confirmation mail is sent by SNS). */
  alarmEmail?: string;
  /**
   * The organization trail the second feed reads: required when the config's `feed` is `trail`
   * or `both`, refused with `eventbridge` (docs/semantics.md "Second feed").
   */
  trail?: TrailFeedSettings;
  /**
   * The account the stack deploys to (index.ts looks it up before creating resources). With
   * the trail feed it decides whether this stack subscribes the queue to the bucket itself or
   * leaves that to the trail's account (`trailAccountTemplate`). Unknown = another account.
   */
  stackAccountId?: string;
  /**
   * Default true: Pulumi's `protect` on the tables, stream, buckets and key (a plan that would
   * delete or replace one fails), DynamoDB deletion protection and no forced bucket deletion.
   */
  protectData?: boolean;
}

const DEFAULTS = {
  detector: {
    batchSize: 100,
    batchingWindowSeconds: 1,
    parallelizationFactor: 1,
    maximumRetryAttempts: 10,
    // Records older than a day leave for the failure bucket (replayable: `npm run replay --
    // s3://<failure-bucket>/aws/lambda/ --mode stream`) instead of blocking their shard; the
    // stream itself keeps a week (retentionHours), so a stalled detector loses nothing for a day.
    maximumRecordAgeSeconds: 86_400,
    iteratorAgeAlarmMs: 300_000,
    memoryMb: 1024,
    timeoutSeconds: 120,
  },
  dispatcher: {
    batchSize: 25,
    batchingWindowSeconds: 1,
    parallelizationFactor: 1,
    maximumRetryAttempts: 10,
    maximumRecordAgeSeconds: 86_400,
    iteratorAgeAlarmMs: 300_000,
    memoryMb: 512,
    timeoutSeconds: 120,
  },
  redrive: { schedule: 'rate(15 minutes)', memoryMb: 512, timeoutSeconds: 300 },
  watchdog: {
    schedule: 'rate(15 minutes)',
    silenceMinutes: 60,
    neverReportedGraceHours: 24,
    memoryMb: 256,
    timeoutSeconds: 300,
  },
  // Slack wants an answer within 3 s (cold start included: 512 MB buys the CPU for it); outbound
  // calls are bounded to 2 s each in code. The URL is public: a small reserved concurrency keeps
  // a flood of unsigned requests from taking the concurrency the detector needs.
  triage: { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 5 },
};

function checkConsumer(name: string, s: Required<StreamConsumerSettings> | StreamConsumerSettings): void {
  const retries = s.maximumRetryAttempts ?? 0;
  const age = s.maximumRecordAgeSeconds ?? 60;
  if (!Number.isInteger(retries) || retries < 0 || retries > 10_000) {
    throw new InfraConfigError(
      `${name}.maximumRetryAttempts must be a bounded integer in 0..10000, got ${retries}`,
    );
  }
  if (!Number.isInteger(age) || age < 60 || age > 604_800) {
    throw new InfraConfigError(`${name}.maximumRecordAgeSeconds must be in 60..604800, got ${age}`);
  }
}

/** The trail feed's settings when the config's feed reads the trail, checked; undefined otherwise. */
function checkTrail(args: FirstseenPipelineArgs) {
  const feed = args.config.feed;
  const trail = args.trail;
  if (feed === 'eventbridge') {
    if (trail) {
      throw new InfraConfigError(
        'trail is set but the config\'s feed is eventbridge: set feed to "trail" or "both", or remove trail',
      );
    }
    return undefined;
  }
  if (!trail)
    throw new InfraConfigError(
      `the config's feed is ${feed}: trail (bucketName, bucketAccountId, ...) is required`,
    );
  if (trail.notification === 'sns' && !trail.snsTopicArn) {
    throw new InfraConfigError('trail.snsTopicArn is required when trail.notification is sns');
  }
  if (trail.notification === 's3' && trail.snsTopicArn) {
    throw new InfraConfigError('trail.snsTopicArn is only read with trail.notification sns');
  }
  const reader = { ...TRAIL_READER_DEFAULTS, ...trail.reader };
  if (reader.batchingWindowSeconds === 0 && reader.batchSize > 10) {
    throw new InfraConfigError(
      `trail.reader.batchSize above 10 needs a batchingWindowSeconds of at least 1 (SQS event sources), got ${reader.batchSize}`,
    );
  }
  return { settings: trail, reader };
}

/** The args with defaults applied, checked before anything is created. */
function resolveSettings(args: FirstseenPipelineArgs) {
  const detector = { ...DEFAULTS.detector, ...args.detector };
  const dispatcher = { ...DEFAULTS.dispatcher, ...args.dispatcher };
  const { signingSecretName, expectedScope, ...triage } = { ...DEFAULTS.triage, ...args.triage };
  checkConsumer('detector', detector);
  checkConsumer('dispatcher', dispatcher);
  if (!(Number.isInteger(triage.reservedConcurrency) && triage.reservedConcurrency >= 1)) {
    throw new InfraConfigError(
      `triage.reservedConcurrency must be a positive integer, got ${triage.reservedConcurrency}`,
    );
  }
  if (!ORG_ID_PATTERN.test(args.orgId)) {
    throw new InfraConfigError(`orgId must look like o-xxxxxxxxxx, got "${args.orgId}"`);
  }
  const streamMode = args.stream?.mode ?? 'ON_DEMAND';
  if (streamMode === 'PROVISIONED' && !(args.stream?.shardCount && args.stream.shardCount > 0)) {
    throw new InfraConfigError(
      'stream.shardCount must be a positive integer when stream.mode is PROVISIONED',
    );
  }
  const prefix = args.namePrefix ?? 'firstseen';
  return {
    trail: checkTrail(args),
    prefix,
    protect: args.protectData ?? true,
    streamMode,
    detector,
    dispatcher,
    redrive: { ...DEFAULTS.redrive, ...args.redrive },
    watchdog: { ...DEFAULTS.watchdog, ...args.watchdog },
    triage,
    signingSecret: signingSecretName ?? defaultSlackSigningSecretName(prefix),
    expectedScope,
    triageEnabled: slackTriageEnabled(args.config),
    forwardedRegions: validateRegions(args.forwardedRegions ?? [GLOBAL_EVENTS_REGION]),
  };
}

/**
 * The central pipeline in the security account (docs/semantics.md "Data flow"): organization bus ->
 * Kinesis -> detector -> baseline and alerts tables -> alerts stream -> dispatcher, with the
 * redrive and silence watchdog on schedules, failure capture everywhere, and alarms to SNS.
 * Each step is built by a function of `./pipeline/`; the logical names, types and parents of
 * the resources are the stack's URNs, so they must not change (tests/unit/resourceUrns.test.ts).
 */
export class FirstseenPipeline extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly bus: aws.cloudwatch.EventBus;
  readonly stream: aws.kinesis.Stream;
  readonly tables: Record<TableDefinition['logicalName'], aws.dynamodb.Table>;
  readonly quarantine: SecureBucket;
  readonly failures: SecureBucket;
  /** The functions; `triage` only when a Slack destination is interactive. */
  readonly functions: PipelineFunctionSet;
  /** Where the bus -> stream rule puts events it could not deliver. */
  readonly ruleDlq: aws.sqs.Queue;
  readonly secrets: Record<string, aws.secretsmanager.Secret>;
  readonly alarmTopic: aws.sns.Topic;
  readonly busArn: pulumi.Output<string>;
  /** The URL to give Slack as the app's interactivity request URL (undefined without triage). */
  readonly triageUrl: pulumi.Output<string> | undefined;
  /** The trail feed's queue and dead-letter queue (config `feed` trail|both). */
  readonly trailQueues: TrailQueues | undefined;
  /** What the trail's account must add (JSON), with the trail feed; see `trailAccountTemplate`. */
  readonly trailAccountTemplate: pulumi.Output<string> | undefined;

  constructor(name: string, args: FirstseenPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firstseen:pipeline:FirstseenPipeline', name, {}, opts);
    const parent = { parent: this };
    const settings = resolveSettings(args);
    const { prefix, protect } = settings;

    const identity = aws.getCallerIdentityOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const accountId = identity.accountId;

    this.key = createEncryptionKey(
      name,
      { prefix, accountId, partition: partition.partition, protect },
      parent,
    );
    const keyArn = this.key.arn;

    this.alarmTopic = createAlarmTopic(name, { prefix, keyArn, alarmEmail: args.alarmEmail }, parent);

    const ingest = createEventIngest(
      name,
      {
        prefix,
        orgId: args.orgId,
        partition: partition.partition,
        coverage: args.config.coverage,
        streamMode: settings.streamMode,
        shardCount: args.stream?.shardCount,
        retentionHours: args.stream?.retentionHours,
        keyArn,
        accountId,
        protect,
      },
      parent,
    );
    this.stream = ingest.stream;
    this.bus = ingest.bus;
    this.ruleDlq = ingest.ruleDlq;
    this.busArn = this.bus.arn;

    this.tables = createTables(name, { prefix, keyArn, protect }, parent);

    const buckets = createBuckets(
      name,
      {
        prefix,
        keyArn,
        quarantineRetentionDays: args.quarantineRetentionDays ?? 30,
        failureRetentionDays: args.failureRetentionDays ?? 14,
        protect,
      },
      parent,
    );
    this.quarantine = buckets.quarantine;
    this.failures = buckets.failures;
    notifyFailedBatches(name, { alarmTopic: this.alarmTopic, failures: this.failures, accountId }, parent);

    this.secrets = createSecrets(
      name,
      {
        config: args.config,
        signingSecret: settings.triageEnabled ? settings.signingSecret : undefined,
        keyArn,
      },
      parent,
    );

    const trail = settings.trail;
    this.trailQueues = trail
      ? createTrailQueues(
          name,
          {
            prefix,
            readerTimeoutSeconds: trail.reader.timeoutSeconds,
            maxReceiveCount: trail.reader.maxReceiveCount,
          },
          parent,
        )
      : undefined;

    const { functions, triageUrl } = createFunctions(
      name,
      {
        prefix,
        config: args.config,
        handlersDir: args.handlersDir,
        logRetentionDays: args.logRetentionDays ?? 90,
        accountId,
        keyArn,
        stream: this.stream,
        tables: this.tables,
        quarantine: this.quarantine,
        failures: this.failures,
        secrets: this.secrets,
        detector: settings.detector,
        dispatcher: settings.dispatcher,
        redrive: settings.redrive,
        watchdog: settings.watchdog,
        triage: settings.triageEnabled ? settings.triage : undefined,
        signingSecret: settings.signingSecret,
        expectedScope: settings.expectedScope,
        forwardedRegions: settings.forwardedRegions,
        trail:
          trail && this.trailQueues
            ? {
                settings: trail.settings,
                queueArn: this.trailQueues.queue.arn,
                partition: partition.partition,
              }
            : undefined,
      },
      parent,
    );
    this.functions = functions;
    const reader = functions['trail-reader'];
    this.trailAccountTemplate =
      trail && this.trailQueues && reader
        ? connectTrailFeed(
            name,
            {
              prefix,
              trail: trail.settings,
              queues: this.trailQueues,
              reader,
              readerSettings: trail.reader,
              stackAccountId: args.stackAccountId,
              partition: partition.partition,
            },
            parent,
          )
        : undefined;
    this.triageUrl = triageUrl;

    createEventSourceMappings(
      name,
      {
        detector: functions.detector,
        dispatcher: functions['alert-dispatcher'],
        stream: this.stream,
        alerts: this.tables.alerts,
        failures: this.failures,
        detectorSettings: settings.detector,
        dispatcherSettings: settings.dispatcher,
      },
      parent,
    );

    createSchedules(
      name,
      prefix,
      [
        { fnName: 'redrive', fn: functions.redrive, schedule: settings.redrive.schedule },
        { fnName: 'watchdog', fn: functions.watchdog, schedule: settings.watchdog.schedule },
      ],
      parent,
    );

    createAlarms(
      name,
      {
        prefix,
        alarmTopic: this.alarmTopic,
        functions,
        consumers: [
          {
            fnName: 'detector',
            fn: functions.detector,
            iteratorAgeAlarmMs: settings.detector.iteratorAgeAlarmMs,
          },
          {
            fnName: 'alert-dispatcher',
            fn: functions['alert-dispatcher'],
            iteratorAgeAlarmMs: settings.dispatcher.iteratorAgeAlarmMs,
          },
        ],
        rule: ingest.rule,
        bus: this.bus,
        ruleDlq: ingest.ruleDlq,
        stream: this.stream,
        triage: functions.triage,
        trailFeed:
          this.trailQueues && trail
            ? { ...this.trailQueues, queueAgeAlarmSeconds: trail.reader.queueAgeAlarmSeconds }
            : undefined,
      },
      parent,
    );

    this.registerOutputs({
      busArn: this.busArn,
      streamArn: this.stream.arn,
      alarmTopicArn: this.alarmTopic.arn,
      triageUrl: this.triageUrl,
    });
  }
}
