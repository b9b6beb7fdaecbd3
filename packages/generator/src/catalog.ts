/**
 * What a realistic organization calls: eventSource/eventName pairs per kind of workload, user
 * agents, regions and benign errors. Names and shapes follow real CloudTrail records.
 */

/** One API operation as CloudTrail records it. */
export interface ActionSpec {
  /** e.g. `s3.amazonaws.com` */
  eventSource: string;
  /** e.g. `GetObject` */
  eventName: string;
  /** `<eventSource>:<eventName>` (firstseen's action). */
  action: string;
  /** The short service name (`s3`, `dynamodb`, ...), also the EventBridge source suffix. */
  service: string;
  readOnly: boolean;
  /** A data event (S3 objects, DynamoDB items, SQS messages, Lambda Invoke): eventCategory Data. */
  data: boolean;
  /** A global service whose events CloudTrail records in us-east-1 (IAM, Organizations, ...). */
  global: boolean;
  /** The aws-cli command that issues it, e.g. `s3api.get-object`. */
  cliCommand: string;
}

const READ_ONLY =
  /^(Get|List|Describe|Head|Lookup|Search|Scan|Query|BatchGet|Select|Decrypt|GenerateDataKey|AssumeRole|Filter|Receive|Test|Check|Validate|Estimate|View)/;
const GLOBAL_SERVICES = new Set([
  'iam',
  'organizations',
  'sso',
  'account',
  'ce',
  'budgets',
  'cloudfront',
  'route53',
  'signin',
  'billing',
  'cur',
]);

const cache = new Map<string, ActionSpec>();

/**
 * An action from its short form `service:Name`, with optional flags after `!`:
 * `d` data event, `w` not read-only despite its name, `r` read-only despite its name.
 */
export function action(short: string): ActionSpec {
  const hit = cache.get(short);
  if (hit) return hit;
  const [body, flags = ''] = short.split('!') as [string, string?];
  const [service, eventName] = body.split(':') as [string, string];
  const sourcePrefix =
    service === 'cloudwatch' ? 'monitoring' : service === 'elbv2' ? 'elasticloadbalancing' : service;
  const eventSource = `${sourcePrefix}.amazonaws.com`;
  const spec: ActionSpec = {
    eventSource,
    eventName,
    action: `${eventSource}:${eventName}`,
    service: sourcePrefix,
    readOnly: flags.includes('r') || (!flags.includes('w') && READ_ONLY.test(eventName)),
    data: flags.includes('d'),
    global: GLOBAL_SERVICES.has(service),
    cliCommand: `${service === 's3' ? 's3api' : service}.${kebab(eventName.replace(/20\d{6}(v\d)?$/, ''))}`,
  };
  cache.set(short, spec);
  return spec;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

const list = (shorts: string): ActionSpec[] => shorts.trim().split(/\s+/).map(action);

/** Kinds of workload; each has core actions (always used) and optional ones (a random subset). */
export type WorkloadKind =
  | 'web-api'
  | 'worker'
  | 'etl'
  | 'lambda-fn'
  | 'deploy'
  | 'iac'
  | 'monitoring'
  | 'eks-controller'
  | 'backup'
  | 'security-scanner'
  | 'sso-admin'
  | 'sso-developer'
  | 'sso-readonly'
  | 'sso-security'
  | 'sso-billing'
  | 'iam-user-ci'
  | 'iam-user-ops'
  | 'root'
  | 'service-linked'
  | 'aws-service';

export interface WorkloadCatalog {
  core: ActionSpec[];
  optional: ActionSpec[];
}

export const WORKLOADS: Readonly<Record<WorkloadKind, WorkloadCatalog>> = {
  'web-api': {
    core: list(`dynamodb:GetItem!d dynamodb:Query!d kms:Decrypt dynamodb:PutItem!d secretsmanager:GetSecretValue
      s3:GetObject!d`),
    optional:
      list(`dynamodb:UpdateItem!d dynamodb:BatchGetItem!d s3:PutObject!d sqs:SendMessage!d kms:GenerateDataKey
      ssm:GetParameter sns:Publish!d events:PutEvents logs:CreateLogStream ecr:GetAuthorizationToken
      ecr:BatchGetImage ecr:GetDownloadUrlForLayer sts:AssumeRole xray:PutTraceSegments cognito-idp:AdminGetUser
      ses:SendEmail`),
  },
  worker: {
    core: list(`sqs:ReceiveMessage!d sqs:DeleteMessage!d s3:GetObject!d kms:Decrypt s3:PutObject!d`),
    optional:
      list(`sqs:ChangeMessageVisibility!d sqs:SendMessage!d dynamodb:BatchWriteItem!d dynamodb:PutItem!d
      dynamodb:GetItem!d kms:GenerateDataKey sns:Publish!d secretsmanager:GetSecretValue ssm:GetParameters
      sqs:GetQueueAttributes logs:CreateLogStream ecr:GetAuthorizationToken states:SendTaskSuccess`),
  },
  etl: {
    core: list(
      `s3:GetObject!d s3:PutObject!d glue:GetTable kms:GenerateDataKey kms:Decrypt s3:ListObjects!d`,
    ),
    optional: list(`glue:GetPartitions glue:BatchCreatePartition glue:GetDatabase athena:StartQueryExecution
      athena:GetQueryExecution athena:GetQueryResults lakeformation:GetDataAccess s3:DeleteObject!d
      glue:StartJobRun glue:GetJobRun redshift-data:ExecuteStatement emr:DescribeCluster s3:HeadObject!d`),
  },
  'lambda-fn': {
    core: list(`dynamodb:GetItem!d kms:Decrypt dynamodb:PutItem!d ssm:GetParametersByPath`),
    optional: list(`s3:GetObject!d s3:PutObject!d sns:Publish!d events:PutEvents lambda:Invoke!d
      states:StartExecution sqs:SendMessage!d dynamodb:Query!d secretsmanager:GetSecretValue xray:PutTraceSegments
      kinesis:PutRecords!d firehose:PutRecordBatch`),
  },
  deploy: {
    core: list(`sts:GetCallerIdentity ecs:DescribeServices ecs:RegisterTaskDefinition!w ecs:UpdateService
      ecr:GetAuthorizationToken ecs:DescribeTaskDefinition`),
    optional: list(`lambda:UpdateFunctionCode20150331v2 lambda:GetFunction20150331v2
      cloudformation:DescribeStacks cloudformation:CreateChangeSet cloudformation:ExecuteChangeSet
      cloudformation:DescribeChangeSet s3:PutObject!d ecr:InitiateLayerUpload ecr:PutImage ecr:CompleteLayerUpload
      ecr:BatchCheckLayerAvailability ssm:PutParameter cloudfront:CreateInvalidation ecs:ListTasks
      elbv2:DescribeTargetHealth codedeploy:CreateDeployment`),
  },
  iac: {
    core: list(`sts:GetCallerIdentity iam:GetRole ec2:DescribeVpcs ec2:DescribeSubnets ec2:DescribeSecurityGroups
      s3:GetBucketPolicy iam:GetPolicy iam:GetPolicyVersion iam:ListRolePolicies iam:ListAttachedRolePolicies`),
    optional: list(`ec2:DescribeRouteTables ec2:DescribeInternetGateways ec2:DescribeNatGateways
      ec2:DescribeVpcAttribute s3:GetBucketVersioning s3:GetBucketEncryption s3:GetBucketTagging s3:GetBucketAcl
      s3:GetBucketLogging s3:GetLifecycleConfiguration s3:GetBucketPublicAccessBlock dynamodb:DescribeTable
      dynamodb:DescribeContinuousBackups dynamodb:ListTagsOfResource kms:DescribeKey kms:GetKeyPolicy
      kms:GetKeyRotationStatus kms:ListResourceTags lambda:GetFunction20150331v2 lambda:ListVersionsByFunction20150331
      logs:DescribeLogGroups logs:ListTagsForResource rds:DescribeDBInstances rds:DescribeDBSubnetGroups
      route53:GetHostedZone route53:ListResourceRecordSets sqs:GetQueueAttributes sns:GetTopicAttributes
      ec2:AuthorizeSecurityGroupIngress ec2:CreateTags iam:CreateRole iam:TagRole s3:PutBucketTagging
      dynamodb:UpdateTable lambda:UpdateFunctionConfiguration20150331v2 ecs:DescribeClusters
      elbv2:DescribeLoadBalancers elbv2:DescribeTargetGroups acm:DescribeCertificate`),
  },
  monitoring: {
    core: list(`cloudwatch:GetMetricData cloudwatch:ListMetrics ec2:DescribeInstances tag:GetResources`),
    optional: list(`ec2:DescribeVolumes rds:DescribeDBInstances elbv2:DescribeLoadBalancers
      lambda:ListFunctions20150331 dynamodb:ListTables dynamodb:DescribeTable sqs:ListQueues
      ecs:ListClusters ecs:DescribeClusters elasticache:DescribeCacheClusters es:ListDomainNames
      cloudwatch:DescribeAlarms logs:DescribeLogGroups health:DescribeEvents s3:ListBuckets
      autoscaling:DescribeAutoScalingGroups`),
  },
  'eks-controller': {
    core: list(
      `ec2:DescribeInstances ec2:DescribeSubnets ec2:DescribeSecurityGroups sts:AssumeRoleWithWebIdentity`,
    ),
    optional:
      list(`ec2:CreateFleet ec2:RunInstances ec2:TerminateInstances ec2:CreateTags ec2:DescribeLaunchTemplates
      ec2:DescribeInstanceTypes ec2:DescribeInstanceTypeOfferings ec2:DescribeAvailabilityZones ec2:DescribeImages
      ec2:DescribeSpotPriceHistory pricing:GetProducts ssm:GetParameter autoscaling:DescribeAutoScalingGroups
      autoscaling:SetDesiredCapacity route53:ListResourceRecordSets route53:ChangeResourceRecordSets
      route53:ListHostedZones elbv2:DescribeTargetGroups elbv2:RegisterTargets elbv2:DeregisterTargets
      ec2:CreateVolume ec2:AttachVolume ec2:DescribeVolumes`),
  },
  backup: {
    core: list(
      `backup:StartBackupJob backup:DescribeBackupJob ec2:DescribeSnapshots rds:DescribeDBSnapshots`,
    ),
    optional: list(`ec2:CreateSnapshot ec2:DeleteSnapshot rds:CreateDBSnapshot rds:DeleteDBSnapshot
      backup:ListRecoveryPointsByBackupVault dynamodb:CreateBackup dynamodb:ListBackups kms:CreateGrant`),
  },
  'security-scanner': {
    core: list(`iam:GetAccountAuthorizationDetails s3:GetBucketPolicy s3:GetBucketAcl ec2:DescribeSecurityGroups
      config:DescribeConfigRules`),
    optional: list(`iam:GenerateCredentialReport iam:GetCredentialReport iam:ListUsers iam:ListAccessKeys
      guardduty:ListDetectors guardduty:ListFindings guardduty:GetFindings securityhub:GetFindings
      s3:GetBucketPublicAccessBlock s3:GetBucketEncryption kms:ListKeys kms:GetKeyRotationStatus
      cloudtrail:DescribeTrails cloudtrail:GetTrailStatus cloudtrail:GetEventSelectors ec2:DescribeFlowLogs
      access-analyzer:ListFindings`),
  },
  'sso-admin': {
    core: list(`iam:ListRoles iam:GetRole s3:ListBuckets ec2:DescribeInstances cloudtrail:LookupEvents
      sts:GetCallerIdentity`),
    optional: list(`organizations:ListAccounts organizations:DescribeOrganization iam:ListPolicies
      iam:GetPolicyVersion iam:ListAttachedRolePolicies iam:CreateRole iam:AttachRolePolicy iam:UpdateRole
      iam:TagRole cloudformation:DescribeStacks cloudformation:ListStacks ec2:DescribeVpcs
      ec2:DescribeSecurityGroups servicequotas:GetServiceQuota support:DescribeCases kms:ListAliases
      sso:ListPermissionSets sso:DescribePermissionSet cloudtrail:DescribeTrails config:DescribeConfigRules
      iam:GetAccountSummary route53:ListHostedZones health:DescribeEvents`),
  },
  'sso-developer': {
    core: list(`logs:FilterLogEvents logs:DescribeLogGroups logs:GetLogEvents lambda:ListFunctions20150331
      ecs:DescribeServices cloudwatch:GetMetricData`),
    optional: list(`lambda:GetFunction20150331v2 ecs:ListTasks ecs:DescribeTasks dynamodb:DescribeTable
      dynamodb:Scan!d s3:ListBuckets s3:GetObject!d sqs:GetQueueAttributes sqs:ListQueues
      xray:GetTraceSummaries logs:StartQuery logs:GetQueryResults cloudformation:DescribeStacks
      ecr:DescribeImages ssm:GetParameter states:ListExecutions states:DescribeExecution
      cloudwatch:DescribeAlarms apigateway:GetRestApis ssm:StartSession`),
  },
  'sso-readonly': {
    core: list(`ec2:DescribeInstances s3:ListBuckets cloudwatch:GetMetricData logs:DescribeLogGroups`),
    optional: list(`lambda:ListFunctions20150331 dynamodb:ListTables rds:DescribeDBInstances ecs:ListClusters
      cloudformation:ListStacks iam:ListRoles sqs:ListQueues sns:ListTopics cloudwatch:DescribeAlarms
      logs:FilterLogEvents`),
  },
  'sso-security': {
    core: list(
      `guardduty:ListFindings guardduty:GetFindings securityhub:GetFindings cloudtrail:LookupEvents`,
    ),
    optional: list(`access-analyzer:ListFindings config:DescribeComplianceByConfigRule
      iam:GetAccountAuthorizationDetails iam:ListUsers iam:GetCredentialReport cloudtrail:DescribeTrails
      cloudtrail:GetTrailStatus inspector2:ListFindings macie2:ListFindings detective:ListGraphs
      s3:GetBucketPolicy kms:DescribeKey`),
  },
  'sso-billing': {
    core: list(`ce:GetCostAndUsage ce:GetCostForecast budgets:DescribeBudgets`),
    optional: list(`ce:GetDimensionValues ce:GetReservationUtilization ce:GetSavingsPlansCoverage
      organizations:ListAccounts cur:DescribeReportDefinitions`),
  },
  'iam-user-ci': {
    core: list(`sts:GetCallerIdentity s3:PutObject!d s3:ListObjects!d cloudfront:CreateInvalidation`),
    optional: list(`s3:DeleteObject!d cloudfront:GetInvalidation s3:GetObject!d ecr:GetAuthorizationToken`),
  },
  'iam-user-ops': {
    core: list(`sts:GetCallerIdentity ec2:DescribeInstances ssm:SendCommand ssm:GetCommandInvocation`),
    optional:
      list(`ec2:StartInstances ec2:StopInstances ec2:DescribeInstanceStatus ssm:DescribeInstanceInformation
      s3:GetObject!d logs:GetLogEvents`),
  },
  root: {
    core: list(`signin:ConsoleLogin!w iam:GetAccountSummary`),
    optional: list(`iam:ListMFADevices account:GetContactInformation iam:GetAccountPasswordPolicy
      billing:GetBillingPreferences`),
  },
  'service-linked': {
    core: list(`ec2:DescribeNetworkInterfaces ec2:DescribeInstances`),
    optional: list(`ec2:CreateNetworkInterface ec2:DeleteNetworkInterface ec2:RunInstances
      elbv2:RegisterTargets`),
  },
  'aws-service': {
    core: list(`sts:AssumeRole kms:Decrypt`),
    optional: list(`kms:GenerateDataKey sts:AssumeRoleWithWebIdentity`),
  },
};

/**
 * Candidate actions for the anomaly scenarios. Each scenario keeps only the candidates its
 * principal never uses in the background, so an injected call is certainly new for it.
 */
export const RARE_ACTIONS: Readonly<Record<string, ActionSpec[]>> = {
  newAction: list(`ssm:GetParametersByPath secretsmanager:ListSecrets rds:DescribeDBClusters
    elasticache:DescribeReplicationGroups sns:ListSubscriptions`),
  window: list(`kms:ReEncrypt dynamodb:ExportTableToPointInTime glue:GetCrawler s3:RestoreObject!d`),
  deployment: list(`sqs:CreateQueue sns:CreateTopic sns:Subscribe sqs:SetQueueAttributes
    dynamodb:CreateTable events:PutRule!w`),
  recon: list(`iam:ListUsers iam:ListRoles iam:ListAttachedRolePolicies ec2:DescribeInstances
    ec2:DescribeSecurityGroups s3:ListBuckets secretsmanager:ListSecrets lambda:ListFunctions20150331
    organizations:DescribeOrganization iam:GetAccountAuthorizationDetails rds:DescribeDBInstances
    ec2:DescribeVpcs`),
  loot: list(`secretsmanager:GetSecretValue ssm:GetParameters s3:ListObjects!d`),
  iamChangeTarget: list(`s3:DeleteObject!d sqs:PurgeQueue dynamodb:DeleteItem!d kms:Encrypt`),
};

/** Regions the organization uses; primaries come first. */
export const ORG_REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-1'];
/** A region no background principal uses (new-region anomalies happen here). */
export const UNUSED_REGIONS = ['sa-east-1', 'ap-northeast-3', 'af-south-1'];

/** A benign error for a call: what real workloads hit now and then. */
export function benignError(spec: ActionSpec): [code: string, message: string] {
  switch (spec.service) {
    case 's3':
      return spec.eventName.startsWith('Get') || spec.eventName === 'HeadObject'
        ? ['NoSuchKey', 'The specified key does not exist.']
        : ['SlowDown', 'Please reduce your request rate.'];
    case 'dynamodb':
      return spec.readOnly
        ? [
            'ProvisionedThroughputExceededException',
            'The level of configured provisioned throughput was exceeded.',
          ]
        : ['ConditionalCheckFailedException', 'The conditional request failed'];
    case 'ec2':
      return ['Client.RequestLimitExceeded', 'Request limit exceeded.'];
    case 'secretsmanager':
    case 'ssm':
      return ['ThrottlingException', 'Rate exceeded'];
    case 'sts':
      return ['ExpiredTokenException', 'The security token included in the request is expired'];
    default:
      return ['ThrottlingException', 'Rate exceeded'];
  }
}

/** The access-denied error a service returns (used by the recon-burst scenario). */
export function accessDenied(spec: ActionSpec, arn: string, resource: string): [string, string] {
  const perm = `${spec.service === 'monitoring' ? 'cloudwatch' : spec.service}:${spec.eventName.replace(/20\d{6}(v\d)?$/, '')}`;
  const message = `User: ${arn} is not authorized to perform: ${perm} on resource: ${resource} because no identity-based policy allows the ${perm} action`;
  if (spec.service === 'ec2')
    return ['Client.UnauthorizedOperation', 'You are not authorized to perform this operation.'];
  if (spec.service === 'iam' || spec.service === 's3' || spec.service === 'lambda')
    return ['AccessDenied', message];
  return ['AccessDeniedException', message];
}

/** SDK user-agent builders, by language. */
export const SDK_USER_AGENTS = {
  node: (service: string, v: number) =>
    `aws-sdk-js/3.${580 + v}.0 ua/2.1 os/linux#5.10.219-208.866.amzn2.x86_64 lang/js md/nodejs#20.15.1 api/${service}#3.${580 + v}.0 m/E,N`,
  python: (_service: string, v: number) =>
    `Boto3/1.34.${90 + v} md/Botocore#1.34.${90 + v} ua/2.0 os/linux#5.10.220-209.869.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.${90 + v}`,
  java: (_service: string, v: number) =>
    `aws-sdk-java/2.26.${v} Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard`,
  go: (service: string, v: number) =>
    `aws-sdk-go-v2/1.30.${v % 20} os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/${service}#1.${20 + v}.2`,
  terraform: (service: string, v: number) =>
    `APN/1.0 HashiCorp/1.0 Terraform/1.8.${v % 6} (+https://www.terraform.io) terraform-provider-aws/5.5${v % 10}.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/${service}#1.${100 + v}.0`,
} as const;

export type SdkLanguage = keyof typeof SDK_USER_AGENTS;

export const CONSOLE_USER_AGENT = 'console.amazonaws.com';
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

export function cliUserAgentPrefix(minor: number, os: 'darwin' | 'linux' | 'windows'): string {
  const platform =
    os === 'darwin'
      ? 'Darwin/23.5.0 exe/x86_64'
      : os === 'linux'
        ? 'Linux/6.8.0-40-generic exe/x86_64.ubuntu.24'
        : 'Windows/10 exe/AMD64';
  return `aws-cli/2.17.${minor} md/awscrt#0.20.11 ua/2.0 os/${os === 'darwin' ? 'macos' : os} ${platform} md/prompt#off lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe`;
}

/** The attacker's tooling in the recon-burst scenario (an unfamiliar user agent). */
export const ATTACKER_USER_AGENT =
  'aws-cli/2.13.25 Python/3.11.5 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off command/';

/**
 * An attack tool's own user agent, as Stratus Red Team's detonations record it (its
 * `stratus-red-team_<uuid>` form): no SDK or CLI family an explanation recognises.
 */
export const ATTACK_TOOL_USER_AGENT = 'stratus-red-team_3f1c9a52-7e4b-4d2a-9b61-0c8e5d7a2f49';

/** The AWS CDK CLI deploying (its SDK agent carries `aws-cdk/<version>`). */
export const CDK_USER_AGENT =
  'aws-sdk-js/3.632.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.17.0 api/cloudformation#3.632.0 aws-cdk/2.154.1';

export const APP_NAMES = [
  'payments-api',
  'orders-api',
  'checkout-web',
  'inventory-worker',
  'notifications-worker',
  'search-indexer',
  'billing-etl',
  'reporting-etl',
  'image-resizer',
  'auth-service',
  'catalog-api',
  'fraud-scoring',
  'email-sender',
  'ledger-service',
  'shipping-api',
  'recommendations',
  'clickstream-etl',
  'audit-exporter',
  'pricing-engine',
  'customer-profile',
  'webhook-dispatcher',
  'session-cache-warmer',
  'feature-flags',
  'data-lake-compactor',
  'invoice-renderer',
  'geo-lookup',
];

export const HUMAN_NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'yasmin',
];
