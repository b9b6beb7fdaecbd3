import * as path from 'node:path';
import type { Config } from '@firstseen/core';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { FunctionName } from '../constants';
import { FirstseenFunction, type FirstseenFunctionArgs, type FunctionSettings } from '../FirstseenFunction';
import type { Statement } from '../policyDocument';
import type { SecureBucket } from '../SecureBucket';
import { pagerDutySecretNames, secretNames } from '../secretNames';
import type { PipelineTables } from './tables';
import { TRAIL_READER_DEFAULTS, type TrailFeedSettings, trailReadStatements } from './trailFeed';

export interface PipelineFunctionsArgs {
  prefix: string;
  config: Config;
  /** The repository's handlers/ folder; each function's bundle is `<name>/dist/index.js`. */
  handlersDir: string;
  logRetentionDays: number;
  accountId: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  stream: aws.kinesis.Stream;
  tables: PipelineTables;
  quarantine: SecureBucket;
  failures: SecureBucket;
  /** Every secret of the pipeline, by name (see `createSecrets`). */
  secrets: Record<string, aws.secretsmanager.Secret>;
  detector: FunctionSettings;
  dispatcher: FunctionSettings;
  redrive: FunctionSettings;
  watchdog: FunctionSettings & { silenceMinutes: number; neverReportedGraceHours: number };
  /** The triage function's settings; undefined = no triage function (no interactive Slack destination). */
  triage?: FunctionSettings;
  /** The regions every ACTIVE account is expected to send events from (the watchdog's coverage). */
  forwardedRegions: readonly string[];
  /** The Slack signing secret's name. */
  signingSecret: string;
  /** What an Expected decision suppresses besides principal and action. */
  expectedScope?: 'action' | 'account' | 'region';
  /** The second feed (config `feed` trail|both): the trail and the queue its notifications land on. */
  trail?: { settings: TrailFeedSettings; queueArn: pulumi.Input<string>; partition: pulumi.Input<string> };
}

/**
 * The pipeline's functions; `triage` exists only with an interactive Slack destination,
 * `trail-reader` only with the second feed.
 */
export type PipelineFunctionSet = Record<
  Exclude<FunctionName, 'triage' | 'trail-reader'>,
  FirstseenFunction
> & {
  triage?: FirstseenFunction;
  'trail-reader'?: FirstseenFunction;
};

export interface PipelineFunctions {
  functions: PipelineFunctionSet;
  /** The URL to give Slack as the app's interactivity request URL. */
  triageUrl: pulumi.Output<string> | undefined;
}

/** Whether the config asks for Slack buttons, i.e. whether the triage endpoint must exist. */
export function slackTriageEnabled(config: Config): boolean {
  return Object.values(config.routing.destinations).some((d) => d.type === 'slack' && d.interactive);
}

/**
 * The five functions, each with a role allowed exactly what it does, and the triage function's
 * public URL. Event sources, schedules and alarms are attached elsewhere.
 */
export function createFunctions(
  name: string,
  args: PipelineFunctionsArgs,
  parent: pulumi.ResourceOptions,
): PipelineFunctions {
  const { prefix, keyArn, stream, quarantine, failures, secrets } = args;
  const baseline = args.tables.baseline;
  const alerts = args.tables.alerts;
  // The notifier's secrets; the signing secret is the triage function's alone.
  const secretArns = secretNames(args.config).map((n) => secrets[n]!.arn);

  const configJson = JSON.stringify(args.config);
  const common = { configJson, logRetentionDays: args.logRetentionDays, accountId: args.accountId };
  const handlerDir = (fn: FunctionName) => path.join(args.handlersDir, fn);
  const tableEnv = { FIRSTSEEN_BASELINE_TABLE: baseline.name, FIRSTSEEN_ALERTS_TABLE: alerts.name };
  // The notifier looks secrets up by the names the config gives (docs/semantics.md "Configuration").
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
  // Lambda's S3 on-failure destination writes with the function's role: ListBucket is an
  // action on the bucket, PutObject on objects (IAM's resource types for each).
  const writeFailures: Statement[] = [
    { Sid: 'FailureBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: failures.arn },
    {
      Sid: 'WriteFailedBatches',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: pulumi.interpolate`${failures.arn}/*`,
    },
  ];

  // The detection engine's stores: the detector's, and the trail reader's (the same code).
  const detection: Statement[] = [
    {
      Sid: 'Baseline',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: baseline.arn,
    },
    // The outbox: one conditional put per alert, nothing else.
    { Sid: 'Outbox', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: alerts.arn },
    // The explain store reads its counters in one BatchGetItem (packages/explain).
    { Sid: 'ExplainCounters', Effect: 'Allow', Action: 'dynamodb:BatchGetItem', Resource: baseline.arn },
    {
      Sid: 'Quarantine',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: pulumi.interpolate`${quarantine.arn}/*`,
    },
  ];
  const detector = new FirstseenFunction(
    `${name}-detector`,
    {
      ...common,
      ...args.detector,
      functionName: `${prefix}-detector`,
      handlerDir: handlerDir('detector'),
      description: 'firstseen: first-seen detection on CloudTrail events from Kinesis',
      environment: { ...tableEnv, FIRSTSEEN_QUARANTINE_BUCKET: quarantine.name },
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
          Resource: stream.arn,
        },
        ...detection,
        ...writeFailures,
        useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
      ],
    },
    parent,
  );
  // The trail feed runs the detector's own code on each log file: the same grants, other inputs.
  const trailReader = args.trail
    ? new FirstseenFunction(
        `${name}-trail-reader`,
        {
          ...common,
          ...TRAIL_READER_DEFAULTS,
          ...args.trail.settings.reader,
          functionName: `${prefix}-trail-reader`,
          handlerDir: handlerDir('trail-reader'),
          description: "firstseen: first-seen detection on the organization trail's log files",
          environment: { ...tableEnv, FIRSTSEEN_QUARANTINE_BUCKET: quarantine.name },
          statements: [
            // What Lambda's SQS event source mapping does with the function's role.
            {
              Sid: 'ReadTrailQueue',
              Effect: 'Allow',
              Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
              Resource: args.trail.queueArn,
            },
            ...detection,
            ...trailReadStatements(args.trail.settings, args.trail.partition),
            useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
          ],
        },
        parent,
      )
    : undefined;
  // What delivering reads and writes beside the alert (the dispatcher and redrive alike): Slack
  // threads, one item per destination and principal under slack-thread#, and the account
  // directory's one item (names and OU paths for alerts and routing).
  const deliveryLookups: Statement[] = [
    {
      Sid: 'SlackThreads',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: alerts.arn,
      // Null guard: ForAllValues alone also matches a request without the key.
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['slack-thread#*'] },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      },
    },
    {
      Sid: 'AccountDirectory',
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: baseline.arn,
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['o#accounts'] } },
    },
  ];
  const dispatcher = new FirstseenFunction(
    `${name}-alert-dispatcher`,
    {
      ...common,
      ...args.dispatcher,
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
          Action: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
          Resource: alerts.arn,
        },
        ...deliveryLookups,
        ...readSecrets,
        ...writeFailures,
        useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
      ],
    },
    parent,
  );
  const redrive = new FirstseenFunction(
    `${name}-redrive`,
    {
      ...common,
      ...args.redrive,
      functionName: `${prefix}-redrive`,
      handlerDir: handlerDir('redrive'),
      description: 'firstseen: re-delivers alerts whose delivery has not succeeded',
      environment: { ...tableEnv, ...secretEnv },
      statements: [
        {
          Sid: 'UndeliveredAlerts',
          Effect: 'Allow',
          Action: ['dynamodb:Scan', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
          Resource: alerts.arn,
        },
        ...deliveryLookups,
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
      ...args.watchdog,
      functionName: `${prefix}-watchdog`,
      handlerDir: handlerDir('watchdog'),
      description: 'firstseen: alerts when an account or region stops sending events',
      environment: {
        ...tableEnv,
        FIRSTSEEN_SILENCE_MINUTES: String(args.watchdog.silenceMinutes),
        FIRSTSEEN_NEVER_REPORTED_GRACE_HOURS: String(args.watchdog.neverReportedGraceHours),
        FIRSTSEEN_EXPECTED_REGIONS: args.forwardedRegions.join(','),
      },
      statements: [
        // Heartbeats are read by key (one per expected account and region), never scanned, and
        // the watchdog writes only when it first expects a pair: the `h#` items and nothing else.
        {
          Sid: 'Heartbeats',
          Effect: 'Allow',
          Action: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
          Resource: baseline.arn,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['h#*'] } },
        },
        { Sid: 'WriteSilenceAlerts', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: alerts.arn },
        // The expected accounts, refreshed every run. ListAccounts has no resource type in IAM.
        { Sid: 'ListAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' },
        // Account names and OU paths for alerts (issue 24): read-only, cached in one baseline item.
        {
          Sid: 'AccountDirectoryParents',
          Effect: 'Allow',
          Action: 'organizations:ListParents',
          Resource: ['arn:aws:organizations::*:account/o-*/*', 'arn:aws:organizations::*:ou/o-*/ou-*'],
        },
        {
          Sid: 'AccountDirectoryOus',
          Effect: 'Allow',
          Action: 'organizations:DescribeOrganizationalUnit',
          Resource: 'arn:aws:organizations::*:ou/o-*/ou-*',
        },
        {
          Sid: 'AccountDirectoryTags',
          Effect: 'Allow',
          Action: 'organizations:ListTagsForResource',
          Resource: 'arn:aws:organizations::*:account/o-*/*',
        },
        {
          Sid: 'AccountDirectoryCache',
          Effect: 'Allow',
          Action: 'dynamodb:PutItem',
          Resource: baseline.arn,
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['o#accounts'] } },
        },
        useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
      ],
    },
    parent,
  );
  const triage = args.triage
    ? createTriage(name, args, common, tableEnv, secretEnv, useKey, parent)
    : undefined;

  return {
    functions: {
      detector,
      'alert-dispatcher': dispatcher,
      redrive,
      watchdog,
      triage: triage?.fn,
      ...(trailReader ? { 'trail-reader': trailReader } : {}),
    },
    triageUrl: triage?.url.functionUrl,
  };
}

/**
 * Triage: Slack interactivity. Decisions on alert items; suppressions (s#) and used request
 * keys (t#) in the baseline table, and nothing else there (dynamodb:LeadingKeys).
 */
function createTriage(
  name: string,
  args: PipelineFunctionsArgs,
  common: Pick<FirstseenFunctionArgs, 'configJson' | 'logRetentionDays' | 'accountId'>,
  tableEnv: Record<string, pulumi.Input<string>>,
  secretEnv: Record<string, string>,
  useKey: (...actions: string[]) => Statement,
  parent: pulumi.ResourceOptions,
): { fn: FirstseenFunction; url: aws.lambda.FunctionUrl } {
  const { prefix, secrets, signingSecret } = args;
  const alerts = args.tables.alerts;
  const baseline = args.tables.baseline;
  const settings = args.triage ?? {};
  const pagerDutySecretArns = Object.entries(secrets)
    .filter(([secretName]) => pagerDutySecretNames(args.config).includes(secretName))
    .map(([, secret]) => secret.arn);
  const fn = new FirstseenFunction(
    `${name}-triage`,
    {
      ...common,
      ...settings,
      functionName: `${prefix}-triage`,
      handlerDir: path.join(args.handlersDir, 'triage'),
      description: 'firstseen: Slack triage buttons (signed requests): decisions, suppressions, escalation',
      environment: {
        ...tableEnv,
        ...secretEnv,
        FIRSTSEEN_SLACK_SIGNING_SECRET_NAME: signingSecret,
        FIRSTSEEN_TRIAGE_EXPECTED_SCOPE: args.expectedScope ?? 'action',
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
          Resource: [secrets[signingSecret]!.arn, ...pagerDutySecretArns],
        },
        useKey('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'),
      ],
    },
    parent,
  );
  // Auth type NONE: Slack cannot sign AWS requests. Every request is verified in code (signing
  // secret HMAC, 5-minute timestamp window, single-use request keys) before anything is read.
  const url = new aws.lambda.FunctionUrl(
    `${name}-triage-url`,
    { functionName: fn.function.name, authorizationType: 'NONE' },
    parent,
  );
  // Declared rather than left to the console's implicit ones, so they are in state and removed with it.
  new aws.lambda.Permission(
    `${name}-triage-url-permission`,
    {
      action: 'lambda:InvokeFunctionUrl',
      function: fn.function.name,
      principal: '*',
      functionUrlAuthType: 'NONE',
    },
    parent,
  );
  new aws.lambda.Permission(
    `${name}-triage-url-invoke-permission`,
    {
      action: 'lambda:InvokeFunction',
      function: fn.function.name,
      principal: '*',
      invokedViaFunctionUrl: true,
    },
    parent,
  );

  return { fn, url };
}
