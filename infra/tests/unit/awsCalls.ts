import type { FunctionName } from '../../src/constants';

/**
 * The AWS calls firstseen's code makes, kept by hand next to iamSimulation.test.ts, which
 * proves each function's role allows exactly these. Built by grepping the code for
 * `new XxxCommand(` and `paginateXxx(`; iamSimulation.test.ts fails when the code starts
 * sending a command this table does not list (or stops sending one it lists).
 */

/** What a call is made on, resolved to the ARN the program creates (see iamSimulation.test.ts). */
export type ResourceName =
  | 'baseline'
  | 'alerts'
  | 'alertsStream'
  | 'stream'
  | 'quarantineObject'
  | 'failuresBucket'
  | 'failuresObject'
  | 'key'
  | 'notifierSecret'
  | 'signingSecret'
  | 'pagerDutySecret'
  | 'ownLogStream'
  | 'organizationsAccount'
  | 'organizationsOu'
  | 'trailQueue'
  | 'trailObject'
  | 'trailKey'
  | 'otherTrailObject'
  | 'any';

export interface AwsCall {
  /** The IAM action the call needs. */
  action: string;
  resource: ResourceName;
  /** Request context the call carries that a policy conditions on (e.g. dynamodb:LeadingKeys). */
  context?: Record<string, string | string[]>;
}

export interface SdkCommandUse {
  /** Repo-relative source file. */
  file: string;
  /** `XxxCommand` (constructed with `new`) or `paginateXxx` (called). */
  command: string;
  /** The functions whose code sends it; none for commands only scripts, tests or the local stack send. */
  functions: readonly FunctionName[];
  calls: readonly AwsCall[];
  note?: string;
}

const BASELINE_KEYS = (prefix: string) => ({ 'dynamodb:LeadingKeys': [`${prefix}example`] });
const SLACK_THREAD_KEYS = { 'dynamodb:LeadingKeys': ['slack-thread#slack#role/deploy'] };

/** Every SDK command sent from packages/*\/src, handlers/*\/src and scripts/src. */
export const SDK_COMMANDS: readonly SdkCommandUse[] = withTrailReader([
  // detector
  {
    file: 'packages/detector/src/S3Quarantine.ts',
    command: 'PutObjectCommand',
    functions: ['detector'],
    calls: [
      { action: 's3:PutObject', resource: 'quarantineObject' },
      // SSE-KMS with the pipeline key: S3 asks KMS for a data key with the caller's credentials.
      { action: 'kms:GenerateDataKey', resource: 'key' },
    ],
  },
  // trail-reader (config feed trail|both): its own reads, besides the detector's code it runs
  {
    file: 'packages/trail-reader/src/createTrailReader.ts',
    command: 'GetObjectCommand',
    functions: ['trail-reader'],
    note: "the announced log file, under the trail bucket's AWSLogs/ (decrypted with the trail's key)",
    calls: [
      { action: 's3:GetObject', resource: 'trailObject' },
      { action: 'kms:Decrypt', resource: 'trailKey' },
    ],
  },
  {
    file: 'packages/trail-reader/src/S3TrailFileQuarantine.ts',
    command: 'PutObjectCommand',
    functions: ['trail-reader'],
    note: 'a pointer to a corrupt log file, under quarantine/trail/ in the quarantine bucket',
    calls: [
      { action: 's3:PutObject', resource: 'quarantineObject' },
      { action: 'kms:GenerateDataKey', resource: 'key' },
    ],
  },
  {
    file: 'packages/detector/src/environment.ts',
    command: 'GetObjectCommand',
    functions: [],
    note: 'an s3:// config location; the deployed functions read config.json from their bundle',
    calls: [],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoBaselineStore.ts',
    command: 'GetCommand',
    functions: ['detector'],
    calls: [{ action: 'dynamodb:GetItem', resource: 'baseline' }],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoBaselineStore.ts',
    command: 'PutCommand',
    functions: ['detector'],
    calls: [{ action: 'dynamodb:PutItem', resource: 'baseline' }],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoBaselineStore.ts',
    command: 'UpdateCommand',
    functions: ['detector'],
    calls: [{ action: 'dynamodb:UpdateItem', resource: 'baseline' }],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoAlertOutbox.ts',
    command: 'PutCommand',
    functions: ['detector', 'watchdog'],
    calls: [{ action: 'dynamodb:PutItem', resource: 'alerts' }],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoAlertOutbox.ts',
    command: 'GetCommand',
    functions: [],
    note: 'get(): tests read alerts back; triage reads them through DynamoAlertDecisionStore',
    calls: [],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoAlertOutbox.ts',
    command: 'paginateScan',
    functions: [],
    note: 'alertsSince(): the report script (npm run report) only',
    calls: [],
  },
  {
    file: 'packages/explain/src/DynamoExplainStore.ts',
    command: 'GetCommand',
    functions: ['detector'],
    calls: [{ action: 'dynamodb:GetItem', resource: 'baseline', context: BASELINE_KEYS('x#') }],
  },
  {
    file: 'packages/explain/src/DynamoExplainStore.ts',
    command: 'PutCommand',
    functions: ['detector'],
    calls: [{ action: 'dynamodb:PutItem', resource: 'baseline', context: BASELINE_KEYS('i#') }],
  },
  {
    file: 'packages/explain/src/DynamoExplainStore.ts',
    command: 'BatchGetCommand',
    functions: ['detector'],
    calls: [{ action: 'dynamodb:BatchGetItem', resource: 'baseline' }],
  },
  {
    file: 'packages/explain/src/DynamoExplainStore.ts',
    command: 'TransactWriteCommand',
    functions: ['detector'],
    note: 'IAM authorizes TransactWriteItems per item: a Put and an Update',
    calls: [
      { action: 'dynamodb:PutItem', resource: 'baseline' },
      { action: 'dynamodb:UpdateItem', resource: 'baseline' },
    ],
  },
  {
    file: 'packages/dynamodb-store/src/HeartbeatStore.ts',
    command: 'UpdateCommand',
    note: 'the detector records heartbeats; the watchdog marks a pair expected (h# items only)',
    functions: ['detector', 'watchdog'],
    calls: [{ action: 'dynamodb:UpdateItem', resource: 'baseline', context: BASELINE_KEYS('h#') }],
  },
  {
    file: 'packages/dynamodb-store/src/HeartbeatStore.ts',
    command: 'BatchGetCommand',
    note: 'heartbeats read by key, one per expected account and region, never scanned',
    functions: ['watchdog'],
    calls: [{ action: 'dynamodb:BatchGetItem', resource: 'baseline', context: BASELINE_KEYS('h#') }],
  },
  {
    file: 'packages/watchdog/src/readAccountDirectory.ts',
    command: 'paginateListAccounts',
    note: 'account names for the directory cache, refreshed each run',
    functions: ['watchdog'],
    calls: [{ action: 'organizations:ListAccounts', resource: 'any' }],
  },
  {
    file: 'packages/watchdog/src/readAccountDirectory.ts',
    command: 'paginateListParents',
    note: 'the parent of each account and OU, up to the root',
    functions: ['watchdog'],
    calls: [
      { action: 'organizations:ListParents', resource: 'organizationsAccount' },
      { action: 'organizations:ListParents', resource: 'organizationsOu' },
    ],
  },
  {
    file: 'packages/watchdog/src/readAccountDirectory.ts',
    command: 'DescribeOrganizationalUnitCommand',
    note: 'OU names for the OU paths',
    functions: ['watchdog'],
    calls: [{ action: 'organizations:DescribeOrganizationalUnit', resource: 'organizationsOu' }],
  },
  {
    file: 'packages/watchdog/src/readAccountDirectory.ts',
    command: 'paginateListTagsForResource',
    note: 'account tags for routing by accountTags',
    functions: ['watchdog'],
    calls: [{ action: 'organizations:ListTagsForResource', resource: 'organizationsAccount' }],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoAccountDirectory.ts',
    command: 'PutCommand',
    note: 'the watchdog caches the account directory in one baseline item',
    functions: ['watchdog'],
    calls: [
      {
        action: 'dynamodb:PutItem',
        resource: 'baseline',
        context: { 'dynamodb:LeadingKeys': ['o#accounts'] },
      },
    ],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoAccountDirectory.ts',
    command: 'GetCommand',
    note: 'account names, OU paths and tags for alerts and routing (AccountDirectoryReader, cached 5 minutes)',
    functions: ['alert-dispatcher', 'redrive'],
    calls: [
      {
        action: 'dynamodb:GetItem',
        resource: 'baseline',
        context: { 'dynamodb:LeadingKeys': ['o#accounts'] },
      },
    ],
  },
  {
    file: 'packages/notify/src/DynamoSlackThreadStore.ts',
    command: 'GetCommand',
    note: 'the Slack thread of a principal (slack-thread# items only)',
    functions: ['alert-dispatcher', 'redrive'],
    calls: [{ action: 'dynamodb:GetItem', resource: 'alerts', context: SLACK_THREAD_KEYS }],
  },
  {
    file: 'packages/notify/src/DynamoSlackThreadStore.ts',
    command: 'PutCommand',
    note: 'claiming a Slack thread (conditional put)',
    functions: ['alert-dispatcher', 'redrive'],
    calls: [{ action: 'dynamodb:PutItem', resource: 'alerts', context: SLACK_THREAD_KEYS }],
  },
  {
    file: 'packages/notify/src/DynamoSlackThreadStore.ts',
    command: 'UpdateCommand',
    note: "recording a thread's parent and summary",
    functions: ['alert-dispatcher', 'redrive'],
    calls: [{ action: 'dynamodb:UpdateItem', resource: 'alerts', context: SLACK_THREAD_KEYS }],
  },
  {
    file: 'packages/watchdog/src/OrganizationsAccountSource.ts',
    command: 'paginateListAccounts',
    note: 'the expected accounts, refreshed each run; IAM defines no resource type for ListAccounts',
    functions: ['watchdog'],
    calls: [{ action: 'organizations:ListAccounts', resource: 'any' }],
  },
  // npm run coverage and replay's pre-flight checks run with the operator's credentials, not a function's.
  ...(
    [
      ['packages/coverage-check/src/checkFailureStores.ts', 'GetQueueAttributesCommand'],
      ['packages/coverage-check/src/checkFailureStores.ts', 'ListObjectsV2Command'],
      ['packages/coverage-check/src/checkRegions.ts', 'paginateListRegions'],
      ['packages/coverage-check/src/checkStackSet.ts', 'paginateListStackInstances'],
      ['packages/coverage-check/src/checkStreamConsumer.ts', 'GetMetricStatisticsCommand'],
      ['packages/coverage-check/src/checkStreamConsumer.ts', 'paginateListEventSourceMappings'],
      ['packages/coverage-check/src/runCoverageCheck.ts', 'DescribeOrganizationCommand'],
      ['packages/replay/src/checkTargets.ts', 'DescribeStreamSummaryCommand'],
      ['packages/replay/src/checkTargets.ts', 'DescribeTableCommand'],
    ] as const
  ).map(([file, command]) => ({ file, command, functions: [], calls: [], note: 'operator credentials' })),
  // suppressions: read by the detector, written by triage (s# keys only)
  {
    file: 'packages/dynamodb-store/src/DynamoSuppressionStore.ts',
    command: 'GetCommand',
    functions: ['detector', 'triage'],
    calls: [{ action: 'dynamodb:GetItem', resource: 'baseline', context: BASELINE_KEYS('s#') }],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoSuppressionStore.ts',
    command: 'UpdateCommand',
    functions: ['triage'],
    calls: [{ action: 'dynamodb:UpdateItem', resource: 'baseline', context: BASELINE_KEYS('s#') }],
  },
  {
    file: 'packages/dynamodb-store/src/DynamoSuppressionStore.ts',
    command: 'paginateScan',
    functions: [],
    note: 'list(): the triage script only',
    calls: [],
  },
  // triage
  {
    file: 'packages/triage/src/DynamoAlertDecisionStore.ts',
    command: 'GetCommand',
    functions: ['triage'],
    calls: [{ action: 'dynamodb:GetItem', resource: 'alerts' }],
  },
  {
    file: 'packages/triage/src/DynamoAlertDecisionStore.ts',
    command: 'UpdateCommand',
    functions: ['triage'],
    calls: [{ action: 'dynamodb:UpdateItem', resource: 'alerts' }],
  },
  {
    file: 'packages/triage/src/DynamoAlertDecisionStore.ts',
    command: 'paginateScan',
    functions: [],
    note: 'decisionsSince(): the triage script (audit) only',
    calls: [],
  },
  {
    file: 'packages/triage/src/ReplayGuard.ts',
    command: 'PutCommand',
    functions: ['triage'],
    calls: [{ action: 'dynamodb:PutItem', resource: 'baseline', context: BASELINE_KEYS('t#') }],
  },
  // notify: the dispatcher and the redrive
  {
    file: 'packages/notify/src/DynamoDeliveryStateStore.ts',
    command: 'BatchGetCommand',
    functions: ['alert-dispatcher', 'redrive'],
    calls: [{ action: 'dynamodb:BatchGetItem', resource: 'alerts' }],
  },
  {
    file: 'packages/notify/src/DynamoDeliveryStateStore.ts',
    command: 'UpdateCommand',
    functions: ['alert-dispatcher', 'redrive'],
    calls: [{ action: 'dynamodb:UpdateItem', resource: 'alerts' }],
  },
  {
    file: 'packages/notify/src/DynamoDeliveryStateStore.ts',
    command: 'paginateScan',
    functions: ['redrive'],
    calls: [{ action: 'dynamodb:Scan', resource: 'alerts' }],
  },
  {
    file: 'packages/notify/src/secrets.ts',
    command: 'GetSecretValueCommand',
    functions: ['alert-dispatcher', 'redrive'],
    note: "every secret the config's destinations name",
    calls: [
      { action: 'secretsmanager:GetSecretValue', resource: 'notifierSecret' },
      { action: 'secretsmanager:GetSecretValue', resource: 'pagerDutySecret' },
      // Secrets encrypted with the pipeline key: Secrets Manager decrypts with the caller's credentials.
      { action: 'kms:Decrypt', resource: 'key' },
    ],
  },
  {
    file: 'packages/notify/src/secrets.ts',
    command: 'GetSecretValueCommand',
    functions: ['triage'],
    note: 'the triage runtime reads the signing secret and the PagerDuty routing keys only',
    calls: [
      { action: 'secretsmanager:GetSecretValue', resource: 'signingSecret' },
      { action: 'secretsmanager:GetSecretValue', resource: 'pagerDutySecret' },
      { action: 'kms:Decrypt', resource: 'key' },
    ],
  },
  // scripts, the local stack, chaos and replay: never on Lambda
  ...(
    [
      ['packages/bench/src/trailFeed.ts', 'PutObjectCommand'],
      ['packages/chaos/src/workload/publishRecords.ts', 'PutRecordsCommand'],
      ['packages/chaos/src/verdict/quarantineDigests.ts', 'GetObjectCommand'],
      ['packages/chaos/src/verdict/quarantineDigests.ts', 'ListObjectsV2Command'],
      ['packages/chaos/src/startChaosStack.ts', 'CreateStreamCommand'],
      ['packages/chaos/src/startChaosStack.ts', 'DescribeStreamSummaryCommand'],
      ['packages/chaos/src/verdict/compareWithReference.ts', 'paginateScan'],
      ['packages/test-support/src/localDetector.ts', 'CreateTableCommand'],
      ['packages/test-support/src/localDetector.ts', 'GetObjectCommand'],
      ['packages/test-support/src/localDetector.ts', 'ListObjectsV2Command'],
      ['packages/test-support/src/localDetector.ts', 'ScanCommand'],
      ['packages/local-stack/src/DynamoDbStreamPoller.ts', 'DescribeStreamCommand'],
      ['packages/local-stack/src/DynamoDbStreamPoller.ts', 'GetRecordsCommand'],
      ['packages/local-stack/src/DynamoDbStreamPoller.ts', 'GetShardIteratorCommand'],
      ['packages/local-stack/src/KinesisPoller.ts', 'DescribeStreamCommand'],
      ['packages/local-stack/src/KinesisPoller.ts', 'GetRecordsCommand'],
      ['packages/local-stack/src/KinesisPoller.ts', 'GetShardIteratorCommand'],
      ['packages/local-stack/src/S3OnFailureDestination.ts', 'PutObjectCommand'],
      ['packages/local-stack/src/createTables.ts', 'CreateBucketCommand'],
      ['packages/local-stack/src/deliverTrailFiles.ts', 'PutObjectCommand'],
      ['packages/local-stack/src/createTables.ts', 'CreateTableCommand'],
      ['packages/local-stack/src/createTables.ts', 'DescribeTableCommand'],
      ['packages/local-stack/src/createTables.ts', 'UpdateTimeToLiveCommand'],
      ['packages/local-stack/src/publishEvents.ts', 'PutRecordsCommand'],
      ['packages/local-stack/src/startDynamoDbLocal.ts', 'ListTablesCommand'],
      ['packages/local-stack/src/startLocalStack.ts', 'CreateStreamCommand'],
      ['packages/local-stack/src/startLocalStack.ts', 'DescribeStreamSummaryCommand'],
      ['packages/demo/src/phases/waitForDeliveries.ts', 'paginateScan'],
      ['packages/replay/src/KinesisPublisher.ts', 'PutRecordsCommand'],
      ['packages/replay/src/sources.ts', 'GetObjectCommand'],
      ['packages/replay/src/sources.ts', 'ListObjectsV2Command'],
    ] as const
  ).map(([file, command]): SdkCommandUse => ({ file, command, functions: [], calls: [] })),
  // `npm run replay -- --on aws`, with the operator's credentials. The replay-shard function of the
  // optional ReplayOnAws component (sources.ts GetObject, DynamoBaselineStore PutItem/UpdateItem)
  // and its state machine are proven in ReplayOnAws.test.ts.
  ...(
    [
      ['packages/replay/src/shard/seedOnAws.ts', 'StartExecutionCommand'],
      ['packages/replay/src/shard/seedOnAws.ts', 'DescribeExecutionCommand'],
      ['packages/replay/src/shard/seedOnAws.ts', 'ListMapRunsCommand'],
      ['packages/replay/src/shard/seedOnAws.ts', 'DescribeMapRunCommand'],
      ['packages/replay/src/shard/seedOnAws.ts', 'DescribeStateMachineForExecutionCommand'],
      ['packages/replay/src/shard/seedOnAws.ts', 'ListExecutionsCommand'],
      // The range's manifest: the trail listed, the manifest written to the results bucket.
      ['packages/replay/src/shard/rangeManifest.ts', 'DescribeStateMachineCommand'],
      ['packages/replay/src/shard/rangeManifest.ts', 'ListObjectsV2Command'],
      ['packages/replay/src/shard/rangeManifest.ts', 'PutObjectCommand'],
      ['packages/replay/src/shard/mapRunResults.ts', 'GetObjectCommand'],
    ] as const
  ).map(([file, command]) => ({ file, command, functions: [], calls: [], note: 'operator credentials' })),
]);

/**
 * The trail reader runs the detector's own code on each log file (createTrailReader ->
 * createDetector): every command the detector sends, the trail reader sends too.
 */
function withTrailReader(uses: SdkCommandUse[]): SdkCommandUse[] {
  return uses.map((u) =>
    u.functions.includes('detector') && !u.functions.includes('trail-reader')
      ? { ...u, functions: [...u.functions, 'trail-reader'] }
      : u,
  );
}

const LOGS: AwsCall[] = [
  { action: 'logs:CreateLogStream', resource: 'ownLogStream' },
  { action: 'logs:PutLogEvents', resource: 'ownLogStream' },
];

/** Lambda's S3 on-failure destination writes a failed batch's pointers with the function's role. */
const FAILURE_DESTINATION: AwsCall[] = [
  { action: 's3:ListBucket', resource: 'failuresBucket' },
  { action: 's3:PutObject', resource: 'failuresObject' },
  { action: 'kms:GenerateDataKey', resource: 'key' },
];

/**
 * DynamoDB tables encrypted with a customer managed key: AWS's documented key policy for
 * DynamoDB lets principals that use the tables call these through the service
 * (kms:ViaService), so the roles keep them.
 */
const DYNAMODB_WITH_KEY: AwsCall[] = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:DescribeKey',
].map((action) => ({ action, resource: 'key' as const }));

/**
 * Calls made with a function's role by the platform rather than its code: its log stream,
 * the event source mapping's reads, the on-failure destination, KMS behind encrypted stores.
 */
export const PLATFORM_CALLS: Record<FunctionName, readonly AwsCall[]> = {
  detector: [
    ...LOGS,
    ...['DescribeStream', 'DescribeStreamSummary', 'GetRecords', 'GetShardIterator', 'ListShards'].map(
      (name): AwsCall => ({ action: `kinesis:${name}`, resource: 'stream' }),
    ),
    ...FAILURE_DESTINATION,
    ...DYNAMODB_WITH_KEY,
  ],
  'alert-dispatcher': [
    ...LOGS,
    ...['DescribeStream', 'GetRecords', 'GetShardIterator'].map(
      (name): AwsCall => ({ action: `dynamodb:${name}`, resource: 'alertsStream' }),
    ),
    { action: 'dynamodb:ListStreams', resource: 'any' },
    ...FAILURE_DESTINATION,
    ...DYNAMODB_WITH_KEY,
  ],
  // Lambda's SQS event source mapping polls and deletes with the function's role.
  'trail-reader': [
    ...LOGS,
    ...['ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes'].map(
      (name): AwsCall => ({ action: `sqs:${name}`, resource: 'trailQueue' }),
    ),
    ...DYNAMODB_WITH_KEY,
  ],
  redrive: [...LOGS, ...DYNAMODB_WITH_KEY],
  watchdog: [...LOGS, ...DYNAMODB_WITH_KEY],
  triage: [...LOGS, ...DYNAMODB_WITH_KEY],
};

/** Every call a function's role must allow: its code's and the platform's. */
export function callsOf(fn: FunctionName): AwsCall[] {
  return [
    ...SDK_COMMANDS.filter((c) => c.functions.includes(fn)).flatMap((c) => c.calls),
    ...PLATFORM_CALLS[fn],
  ];
}

/**
 * Calls no function makes unless callsOf lists it: each is checked denied for every function
 * that does not make it.
 */
export const CALLS_NEVER_MADE: readonly AwsCall[] = [
  { action: 'dynamodb:DeleteItem', resource: 'baseline' },
  { action: 'dynamodb:DeleteItem', resource: 'alerts' },
  { action: 'dynamodb:Scan', resource: 'baseline' },
  { action: 'dynamodb:Scan', resource: 'alerts' },
  { action: 'dynamodb:Query', resource: 'baseline' },
  { action: 'dynamodb:PutItem', resource: 'baseline', context: BASELINE_KEYS('account#') },
  { action: 'dynamodb:UpdateItem', resource: 'baseline', context: BASELINE_KEYS('role#') },
  { action: 'dynamodb:PutItem', resource: 'alerts' },
  { action: 'dynamodb:UpdateItem', resource: 'alerts' },
  { action: 'dynamodb:GetItem', resource: 'alerts' },
  { action: 'dynamodb:DeleteTable', resource: 'baseline' },
  { action: 'dynamodb:UpdateTable', resource: 'alerts' },
  { action: 'dynamodb:GetRecords', resource: 'alertsStream' },
  { action: 'kinesis:GetRecords', resource: 'stream' },
  { action: 'kinesis:PutRecord', resource: 'stream' },
  { action: 'kinesis:PutRecords', resource: 'stream' },
  { action: 'kinesis:DeleteStream', resource: 'stream' },
  { action: 's3:GetObject', resource: 'quarantineObject' },
  { action: 's3:DeleteObject', resource: 'quarantineObject' },
  { action: 's3:PutObject', resource: 'quarantineObject' },
  { action: 's3:GetObject', resource: 'failuresObject' },
  { action: 's3:PutObject', resource: 'failuresObject' },
  { action: 's3:PutBucketPolicy', resource: 'failuresBucket' },
  { action: 'secretsmanager:GetSecretValue', resource: 'signingSecret' },
  { action: 'secretsmanager:GetSecretValue', resource: 'notifierSecret' },
  { action: 'secretsmanager:PutSecretValue', resource: 'notifierSecret' },
  { action: 'kms:ScheduleKeyDeletion', resource: 'key' },
  { action: 'kms:CreateGrant', resource: 'key' },
  { action: 'kms:PutKeyPolicy', resource: 'key' },
  { action: 's3:GetObject', resource: 'trailObject' },
  { action: 's3:GetObject', resource: 'otherTrailObject' },
  { action: 's3:PutObject', resource: 'trailObject' },
  { action: 's3:DeleteObject', resource: 'trailObject' },
  { action: 'kms:Decrypt', resource: 'trailKey' },
  { action: 'sqs:ReceiveMessage', resource: 'trailQueue' },
  { action: 'sqs:DeleteMessage', resource: 'trailQueue' },
  { action: 'sqs:SendMessage', resource: 'trailQueue' },
  { action: 'sqs:PurgeQueue', resource: 'trailQueue' },
];
