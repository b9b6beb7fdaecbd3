import * as path from 'node:path';
import type { Config } from '@firstseen/core';
import { TABLE_DEFINITIONS, type TableDefinition, tableName } from '@firstseen/dynamodb-store';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  CENTRAL_DETAIL_TYPES,
  DEFAULT_SLACK_SIGNING_SECRET_NAME,
  type FunctionName,
  PARTITION_KEY_PATH,
} from './constants';
import { InfraConfigError } from './errors';
import { FirstseenFunction, type FunctionSettings } from './FirstseenFunction';
import { forwardingEventPattern, ruleStateFor } from './forwardingTemplate';
import { assumeRolePolicy, policyJson, type Statement } from './policyDocument';
import { SecureBucket } from './SecureBucket';
import { pagerDutySecretNames, secretNames } from './secretNames';

/** How Lambda reads a stream: the event source mapping's batching and failure settings. */
export interface StreamConsumerSettings extends FunctionSettings {
  batchSize?: number;
  batchingWindowSeconds?: number;
  /** Concurrent batches per shard (1-10); records of one partition key stay in order. */
  parallelizationFactor?: number;
  /** Retries of a failing batch before its records go to the failure bucket (bounded: 0-10000). */
  maximumRetryAttempts?: number;
  /** Records older than this go to the failure bucket instead of blocking the shard (60-604800). */
  maximumRecordAgeSeconds?: number;
  /** IteratorAge alarm threshold in milliseconds. */
  iteratorAgeAlarmMs?: number;
}

export interface ScheduledSettings extends FunctionSettings {
  /** An EventBridge schedule expression, e.g. `rate(15 minutes)`. */
  schedule?: string;
}

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
  };
  /** The Slack triage endpoint (issue 11): a function URL, every request verified in code. */
  triage?: FunctionSettings & {
    /** Secret holding the Slack app's signing secret. Default FIRSTSEEN_SLACK_SIGNING_SECRET. */
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
  /** DynamoDB deletion protection and no forced bucket deletion. Default true. */
  protectData?: boolean;
}

const DEFAULTS = {
  detector: {
    batchSize: 100,
    batchingWindowSeconds: 1,
    parallelizationFactor: 1,
    maximumRetryAttempts: 10,
    maximumRecordAgeSeconds: 21_600,
    iteratorAgeAlarmMs: 300_000,
    memoryMb: 1024,
    timeoutSeconds: 120,
  },
  dispatcher: {
    batchSize: 25,
    batchingWindowSeconds: 1,
    parallelizationFactor: 1,
    maximumRetryAttempts: 10,
    maximumRecordAgeSeconds: 21_600,
    iteratorAgeAlarmMs: 300_000,
    memoryMb: 512,
    timeoutSeconds: 120,
  },
  redrive: { schedule: 'rate(15 minutes)', memoryMb: 512, timeoutSeconds: 300 },
  watchdog: { schedule: 'rate(15 minutes)', silenceMinutes: 60, memoryMb: 256, timeoutSeconds: 300 },
  // Slack wants an answer within 3 s; outbound calls are bounded to 2 s each in code.
  triage: { memoryMb: 256, timeoutSeconds: 10 },
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

/**
 * The central pipeline in the security account (DESIGN.md "Data flow"): organization bus ->
 * Kinesis -> detector -> baseline and alerts tables -> alerts stream -> dispatcher, with the
 * redrive and silence watchdog on schedules, failure capture everywhere, and alarms to SNS.
 */
export class FirstseenPipeline extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly bus: aws.cloudwatch.EventBus;
  readonly stream: aws.kinesis.Stream;
  readonly tables: Record<TableDefinition['logicalName'], aws.dynamodb.Table>;
  readonly quarantine: SecureBucket;
  readonly failures: SecureBucket;
  readonly functions: Record<FunctionName, FirstseenFunction>;
  readonly secrets: Record<string, aws.secretsmanager.Secret>;
  readonly alarmTopic: aws.sns.Topic;
  readonly busArn: pulumi.Output<string>;
  /** The URL to give Slack as the app's interactivity request URL. */
  readonly triageUrl: pulumi.Output<string>;

  constructor(name: string, args: FirstseenPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firstseen:pipeline:FirstseenPipeline', name, {}, opts);
    const parent = { parent: this };
    const prefix = args.namePrefix ?? 'firstseen';
    const protect = args.protectData ?? true;
    const detectorSettings = { ...DEFAULTS.detector, ...args.detector };
    const dispatcherSettings = { ...DEFAULTS.dispatcher, ...args.dispatcher };
    const redriveSettings = { ...DEFAULTS.redrive, ...args.redrive };
    const watchdogSettings = { ...DEFAULTS.watchdog, ...args.watchdog };
    const { signingSecretName, expectedScope, ...triageSettings } = { ...DEFAULTS.triage, ...args.triage };
    const signingSecret = signingSecretName ?? DEFAULT_SLACK_SIGNING_SECRET_NAME;
    checkConsumer('detector', detectorSettings);
    checkConsumer('dispatcher', dispatcherSettings);
    if (!/^o-[a-z0-9]{10,32}$/.test(args.orgId)) {
      throw new InfraConfigError(`orgId must look like o-xxxxxxxxxx, got "${args.orgId}"`);
    }
    const streamMode = args.stream?.mode ?? 'ON_DEMAND';
    if (streamMode === 'PROVISIONED' && !(args.stream?.shardCount && args.stream.shardCount > 0)) {
      throw new InfraConfigError(
        'stream.shardCount must be a positive integer when stream.mode is PROVISIONED',
      );
    }

    const identity = aws.getCallerIdentityOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const accountId = identity.accountId;

    // One customer managed key for everything at rest. Key policies must name "*" as the
    // resource (it means "this key"); access is granted per function in IAM, per key ARN.
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: 'firstseen: stream, tables, buckets, secrets and alarm topic',
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: policyJson([
          {
            Sid: 'EnableIamPolicies',
            Effect: 'Allow',
            Principal: { AWS: pulumi.interpolate`arn:${partition.partition}:iam::${accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'AllowAlarmAndBucketNotificationsToEncryptedTopic',
            Effect: 'Allow',
            Principal: { Service: ['cloudwatch.amazonaws.com', 's3.amazonaws.com'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
        ]),
      },
      parent,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${prefix}`, targetKeyId: this.key.keyId }, parent);
    const keyArn = this.key.arn;

    // --- Alarm topic -------------------------------------------------------------------------
    this.alarmTopic = new aws.sns.Topic(
      `${name}-alarms`,
      { name: `${prefix}-alarms`, kmsMasterKeyId: keyArn },
      parent,
    );
    if (args.alarmEmail) {
      new aws.sns.TopicSubscription(
        `${name}-alarms-email`,
        { topic: this.alarmTopic.arn, protocol: 'email', endpoint: args.alarmEmail },
        parent,
      );
    }

    // --- Stream ------------------------------------------------------------------------------
    this.stream = new aws.kinesis.Stream(
      `${name}-stream`,
      {
        name: `${prefix}-events`,
        streamModeDetails: { streamMode },
        shardCount: streamMode === 'PROVISIONED' ? args.stream?.shardCount : undefined,
        retentionPeriod: args.stream?.retentionHours ?? 168,
        encryptionType: 'KMS',
        kmsKeyId: keyArn,
      },
      parent,
    );

    // --- Organization bus --------------------------------------------------------------------
    this.bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: `${prefix}-org` }, parent);
    this.busArn = this.bus.arn;
    new aws.cloudwatch.EventBusPolicy(
      `${name}-bus-policy`,
      {
        eventBusName: this.bus.name,
        policy: policyJson([
          {
            Sid: 'OrganizationMembersPutEvents',
            Effect: 'Allow',
            Principal: '*',
            Action: 'events:PutEvents',
            Resource: this.bus.arn,
            Condition: { StringEquals: { 'aws:PrincipalOrgID': args.orgId } },
          },
        ]),
      },
      parent,
    );

    const coverage = args.config.coverage;
    const centralRule = new aws.cloudwatch.EventRule(
      `${name}-to-stream`,
      {
        name: `${prefix}-to-stream`,
        description: 'firstseen: CloudTrail events from the organization to the Kinesis stream',
        eventBusName: this.bus.name,
        eventPattern: JSON.stringify(forwardingEventPattern(coverage, CENTRAL_DETAIL_TYPES)),
        // Rules on custom buses also need the ALL state to match read-only management events.
        state: ruleStateFor(coverage),
      },
      parent,
    );
    const ruleDlq = new aws.sqs.Queue(
      `${name}-to-stream-dlq`,
      { name: `${prefix}-to-stream-dlq`, sqsManagedSseEnabled: true, messageRetentionSeconds: 1_209_600 },
      parent,
    );
    new aws.sqs.QueuePolicy(
      `${name}-to-stream-dlq-policy`,
      {
        queueUrl: ruleDlq.url,
        policy: policyJson([
          {
            Sid: 'RuleDeadLetters',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: ruleDlq.arn,
            Condition: { ArnEquals: { 'aws:SourceArn': centralRule.arn } },
          },
        ]),
      },
      parent,
    );
    const ruleRole = new aws.iam.Role(
      `${name}-to-stream-role`,
      {
        assumeRolePolicy: assumeRolePolicy('events.amazonaws.com', accountId),
        description: 'EventBridge -> Kinesis',
      },
      parent,
    );
    const ruleRolePolicy = new aws.iam.RolePolicy(
      `${name}-to-stream-policy`,
      {
        role: ruleRole.id,
        policy: policyJson([
          {
            Sid: 'PutOnStream',
            Effect: 'Allow',
            Action: ['kinesis:PutRecord', 'kinesis:PutRecords'],
            Resource: this.stream.arn,
          },
          { Sid: 'EncryptForStream', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: keyArn },
        ]),
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-to-stream-target`,
      {
        rule: centralRule.name,
        eventBusName: this.bus.name,
        targetId: 'kinesis',
        arn: this.stream.arn,
        roleArn: ruleRole.arn,
        kinesisTarget: { partitionKeyPath: PARTITION_KEY_PATH },
        deadLetterConfig: { arn: ruleDlq.arn },
        retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      },
      { parent: this, dependsOn: [ruleRolePolicy] },
    );

    // --- Tables ------------------------------------------------------------------------------
    const tables = {} as Record<TableDefinition['logicalName'], aws.dynamodb.Table>;
    for (const def of TABLE_DEFINITIONS) {
      tables[def.logicalName] = new aws.dynamodb.Table(
        `${name}-${def.logicalName}`,
        {
          name: tableName(prefix, def),
          billingMode: 'PAY_PER_REQUEST',
          hashKey: def.partitionKey,
          attributes: [{ name: def.partitionKey, type: 'S' }],
          pointInTimeRecovery: { enabled: true },
          serverSideEncryption: { enabled: true, kmsKeyArn: keyArn },
          ttl: { attributeName: def.ttlAttribute, enabled: true },
          streamEnabled: def.streamViewType !== undefined,
          streamViewType: def.streamViewType,
          deletionProtectionEnabled: protect,
        },
        parent,
      );
    }
    this.tables = tables;
    const baseline = tables.baseline;
    const alerts = tables.alerts;

    // --- Buckets -----------------------------------------------------------------------------
    this.quarantine = new SecureBucket(
      `${name}-quarantine`,
      {
        bucketPrefix: `${prefix}-quarantine-`,
        kmsKeyArn: keyArn,
        expirationDays: args.quarantineRetentionDays ?? 30,
        forceDestroy: !protect,
      },
      parent,
    );
    this.failures = new SecureBucket(
      `${name}-failures`,
      {
        bucketPrefix: `${prefix}-failures-`,
        kmsKeyArn: keyArn,
        expirationDays: args.failureRetentionDays ?? 14,
        forceDestroy: !protect,
      },
      parent,
    );
    const failuresTopicPolicy = new aws.sns.TopicPolicy(
      `${name}-alarms-policy`,
      {
        arn: this.alarmTopic.arn,
        policy: policyJson([
          {
            Sid: 'CloudWatchAlarms',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: this.alarmTopic.arn,
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
          {
            Sid: 'FailedRecordWrites',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: this.alarmTopic.arn,
            Condition: { ArnEquals: { 'aws:SourceArn': this.failures.arn } },
          },
        ]),
      },
      parent,
    );
    // Every object in the failure bucket is a batch Lambda gave up on: tell a human at once.
    new aws.s3.BucketNotification(
      `${name}-failures-notification`,
      {
        bucket: this.failures.bucket.id,
        topics: [{ topicArn: this.alarmTopic.arn, events: ['s3:ObjectCreated:*'] }],
      },
      { parent: this, dependsOn: [failuresTopicPolicy] },
    );

    // --- Secrets (values are set out of band: `aws secretsmanager put-secret-value`) ---------
    this.secrets = {};
    for (const secret of secretNames(args.config, [signingSecret])) {
      this.secrets[secret] = new aws.secretsmanager.Secret(
        `${name}-secret-${secret}`,
        {
          name: secret,
          kmsKeyId: keyArn,
          recoveryWindowInDays: 7,
          description: `firstseen: ${secret}`,
        },
        parent,
      );
    }
    // The notifier's secrets; the signing secret is the triage function's alone.
    const secretArns = secretNames(args.config).map((n) => this.secrets[n]!.arn);

    // --- Functions ---------------------------------------------------------------------------
    const configJson = JSON.stringify(args.config);
    const logRetentionDays = args.logRetentionDays ?? 90;
    const common = { configJson, logRetentionDays, accountId };
    const handlerDir = (fn: FunctionName) => path.join(args.handlersDir, fn);
    const tableEnv = { FIRSTSEEN_BASELINE_TABLE: baseline.name, FIRSTSEEN_ALERTS_TABLE: alerts.name };
    // The notifier looks secrets up by the names the config gives (DESIGN.md "Configuration").
    const secretEnv = { FIRSTSEEN_SECRETS: 'secretsmanager' };
    const useKey = (...actions: string[]): Statement => ({
      Sid: 'UseOwnKey',
      Effect: 'Allow',
      Action: actions,
      Resource: keyArn,
    });
    const readSecrets: Statement[] = secretArns.length
      ? [
          {
            Sid: 'ReadOwnSecrets',
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: secretArns,
          },
        ]
      : [];
    const writeFailures: Statement = {
      Sid: 'WriteFailedBatches',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:ListBucket'],
      Resource: [this.failures.arn, pulumi.interpolate`${this.failures.arn}/*`],
    };

    const detector = new FirstseenFunction(
      `${name}-detector`,
      {
        ...common,
        ...detectorSettings,
        functionName: `${prefix}-detector`,
        handlerDir: handlerDir('detector'),
        description: 'firstseen: first-seen detection on CloudTrail events from Kinesis',
        environment: { ...tableEnv, FIRSTSEEN_QUARANTINE_BUCKET: this.quarantine.name },
        statements: [
          {
            Sid: 'ReadStream',
            Effect: 'Allow',
            Action: [
              'kinesis:DescribeStream',
              'kinesis:DescribeStreamSummary',
              'kinesis:GetRecords',
              'kinesis:GetShardIterator',
              'kinesis:ListShards',
            ],
            Resource: this.stream.arn,
          },
          {
            Sid: 'BaselineAndOutbox',
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
            Resource: [baseline.arn, alerts.arn],
          },
          {
            Sid: 'Quarantine',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: pulumi.interpolate`${this.quarantine.arn}/*`,
          },
          writeFailures,
          useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
        ],
      },
      parent,
    );
    const dispatcher = new FirstseenFunction(
      `${name}-alert-dispatcher`,
      {
        ...common,
        ...dispatcherSettings,
        functionName: `${prefix}-alert-dispatcher`,
        handlerDir: handlerDir('alert-dispatcher'),
        description: 'firstseen: routes new alerts to Slack and PagerDuty',
        environment: { ...tableEnv, ...secretEnv },
        statements: [
          {
            Sid: 'ReadAlertsStream',
            Effect: 'Allow',
            Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
            Resource: alerts.streamArn,
          },
          // ListStreams has no resource type in IAM: "*" is the only form AWS accepts.
          { Sid: 'ListStreams', Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
          {
            Sid: 'DeliveryState',
            Effect: 'Allow',
            Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
            Resource: alerts.arn,
          },
          ...readSecrets,
          writeFailures,
          useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
        ],
      },
      parent,
    );
    const redrive = new FirstseenFunction(
      `${name}-redrive`,
      {
        ...common,
        ...redriveSettings,
        functionName: `${prefix}-redrive`,
        handlerDir: handlerDir('redrive'),
        description: 'firstseen: re-delivers alerts whose delivery has not succeeded',
        environment: { ...tableEnv, ...secretEnv },
        statements: [
          {
            Sid: 'UndeliveredAlerts',
            Effect: 'Allow',
            Action: ['dynamodb:Scan', 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
            Resource: alerts.arn,
          },
          ...readSecrets,
          useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
        ],
      },
      parent,
    );
    const watchdog = new FirstseenFunction(
      `${name}-watchdog`,
      {
        ...common,
        ...watchdogSettings,
        functionName: `${prefix}-watchdog`,
        handlerDir: handlerDir('watchdog'),
        description: 'firstseen: alerts when an account or region stops sending events',
        environment: { ...tableEnv, FIRSTSEEN_SILENCE_MINUTES: String(watchdogSettings.silenceMinutes) },
        statements: [
          {
            Sid: 'ReadHeartbeats',
            Effect: 'Allow',
            Action: ['dynamodb:Scan', 'dynamodb:Query'],
            Resource: baseline.arn,
          },
          { Sid: 'WriteSilenceAlerts', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: alerts.arn },
          useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
        ],
      },
      parent,
    );
    // Triage: Slack interactivity. Decisions on alert items; suppressions (s#) and used request
    // keys (t#) in the baseline table, and nothing else there (dynamodb:LeadingKeys).
    const pagerDutySecretArns = Object.entries(this.secrets)
      .filter(([secretName]) => pagerDutySecretNames(args.config).includes(secretName))
      .map(([, secret]) => secret.arn);
    const triage = new FirstseenFunction(
      `${name}-triage`,
      {
        ...common,
        ...triageSettings,
        functionName: `${prefix}-triage`,
        handlerDir: handlerDir('triage'),
        description: 'firstseen: Slack triage buttons (signed requests): decisions, suppressions, escalation',
        environment: {
          ...tableEnv,
          ...secretEnv,
          FIRSTSEEN_SLACK_SIGNING_SECRET_NAME: signingSecret,
          FIRSTSEEN_TRIAGE_EXPECTED_SCOPE: expectedScope ?? 'action',
        },
        statements: [
          {
            Sid: 'TriageDecisions',
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
            Resource: alerts.arn,
          },
          {
            Sid: 'SuppressionsAndRequestKeys',
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
            Resource: baseline.arn,
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['s#*', 't#*'] } },
          },
          {
            Sid: 'ReadTriageSecrets',
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: [this.secrets[signingSecret]!.arn, ...pagerDutySecretArns],
          },
          useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
        ],
      },
      parent,
    );
    // Auth type NONE: Slack cannot sign AWS requests. Every request is verified in code (signing
    // secret HMAC, 5-minute timestamp window, single-use request keys) before anything is read.
    const triageUrl = new aws.lambda.FunctionUrl(
      `${name}-triage-url`,
      { functionName: triage.function.name, authorizationType: 'NONE' },
      parent,
    );
    // Declared rather than left to the console's implicit ones, so they are in state and removed with it.
    new aws.lambda.Permission(
      `${name}-triage-url-permission`,
      {
        action: 'lambda:InvokeFunctionUrl',
        function: triage.function.name,
        principal: '*',
        functionUrlAuthType: 'NONE',
      },
      parent,
    );
    new aws.lambda.Permission(
      `${name}-triage-url-invoke-permission`,
      {
        action: 'lambda:InvokeFunction',
        function: triage.function.name,
        principal: '*',
        invokedViaFunctionUrl: true,
      },
      parent,
    );
    this.triageUrl = triageUrl.functionUrl;
    this.functions = { detector, 'alert-dispatcher': dispatcher, redrive, watchdog, triage };

    // --- Event source mappings ----------------------------------------------------------------
    new aws.lambda.EventSourceMapping(
      `${name}-detector-esm`,
      {
        functionName: detector.function.arn,
        eventSourceArn: this.stream.arn,
        startingPosition: 'TRIM_HORIZON',
        batchSize: detectorSettings.batchSize,
        maximumBatchingWindowInSeconds: detectorSettings.batchingWindowSeconds,
        parallelizationFactor: detectorSettings.parallelizationFactor,
        functionResponseTypes: ['ReportBatchItemFailures'],
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: detectorSettings.maximumRetryAttempts,
        maximumRecordAgeInSeconds: detectorSettings.maximumRecordAgeSeconds,
        destinationConfig: { onFailure: { destinationArn: this.failures.arn } },
      },
      { parent: this, dependsOn: [detector.policy] },
    );
    new aws.lambda.EventSourceMapping(
      `${name}-dispatcher-esm`,
      {
        functionName: dispatcher.function.arn,
        eventSourceArn: alerts.streamArn,
        startingPosition: 'TRIM_HORIZON',
        batchSize: dispatcherSettings.batchSize,
        maximumBatchingWindowInSeconds: dispatcherSettings.batchingWindowSeconds,
        parallelizationFactor: dispatcherSettings.parallelizationFactor,
        functionResponseTypes: ['ReportBatchItemFailures'],
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: dispatcherSettings.maximumRetryAttempts,
        maximumRecordAgeInSeconds: dispatcherSettings.maximumRecordAgeSeconds,
        destinationConfig: { onFailure: { destinationArn: this.failures.arn } },
        // Only new alerts are dispatched; the dispatcher's own delivery-state updates are MODIFY.
        filterCriteria: { filters: [{ pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      },
      { parent: this, dependsOn: [dispatcher.policy] },
    );

    // --- Schedules ---------------------------------------------------------------------------
    for (const [fnName, fn, schedule] of [
      ['redrive', redrive, redriveSettings.schedule],
      ['watchdog', watchdog, watchdogSettings.schedule],
    ] as const) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${fnName}-schedule`,
        {
          name: `${prefix}-${fnName}-schedule`,
          scheduleExpression: schedule,
          description: `firstseen: runs ${fnName}`,
        },
        parent,
      );
      new aws.lambda.Permission(
        `${name}-${fnName}-schedule-permission`,
        {
          action: 'lambda:InvokeFunction',
          function: fn.function.name,
          principal: 'events.amazonaws.com',
          sourceArn: rule.arn,
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${fnName}-schedule-target`,
        { rule: rule.name, targetId: fnName, arn: fn.function.arn },
        parent,
      );
    }

    // --- Alarms ------------------------------------------------------------------------------
    const alarm = (
      id: string,
      a: Omit<
        aws.cloudwatch.MetricAlarmArgs,
        'alarmActions' | 'okActions' | 'comparisonOperator' | 'evaluationPeriods'
      > & { comparisonOperator?: string },
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${id}`,
        {
          name: `${prefix}-${id}`,
          comparisonOperator: 'GreaterThanThreshold',
          evaluationPeriods: 1,
          treatMissingData: 'notBreaching',
          alarmActions: [this.alarmTopic.arn],
          okActions: [this.alarmTopic.arn],
          ...a,
        },
        parent,
      );
    for (const [fnName, fn] of Object.entries(this.functions)) {
      const dimensions = { FunctionName: fn.function.name };
      alarm(`${fnName}-errors`, {
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        statistic: 'Sum',
        period: 300,
        threshold: 0,
        dimensions,
      });
      alarm(`${fnName}-throttles`, {
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        statistic: 'Sum',
        period: 300,
        threshold: 0,
        dimensions,
      });
    }
    for (const [fnName, fn, settings] of [
      ['detector', detector, detectorSettings],
      ['alert-dispatcher', dispatcher, dispatcherSettings],
    ] as const) {
      const dimensions = { FunctionName: fn.function.name };
      alarm(`${fnName}-iterator-age`, {
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        statistic: 'Maximum',
        period: 60,
        threshold: settings.iteratorAgeAlarmMs,
        dimensions,
        alarmDescription: `${fnName} is falling behind its stream`,
      });
      alarm(`${fnName}-destination-delivery-failures`, {
        namespace: 'AWS/Lambda',
        metricName: 'DestinationDeliveryFailures',
        statistic: 'Sum',
        period: 300,
        threshold: 0,
        dimensions,
        alarmDescription: `failed ${fnName} batches could not be written to the failure bucket`,
      });
    }
    alarm('to-stream-failed-invocations', {
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      statistic: 'Sum',
      period: 300,
      threshold: 0,
      dimensions: { RuleName: centralRule.name, EventBusName: this.bus.name },
      alarmDescription: 'EventBridge could not put events on the stream',
    });
    alarm('to-stream-dlq', {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Maximum',
      period: 300,
      threshold: 0,
      dimensions: { QueueName: ruleDlq.name },
      alarmDescription: 'events that never reached the stream are waiting in the dead-letter queue',
    });

    this.registerOutputs({
      busArn: this.busArn,
      streamArn: this.stream.arn,
      alarmTopicArn: this.alarmTopic.arn,
      triageUrl: this.triageUrl,
    });
  }
}
