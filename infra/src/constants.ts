/** The CloudTrail detail-types the member accounts forward (docs/semantics.md "Data flow"). */
export const FORWARDED_DETAIL_TYPES = ['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail'];

/**
 * The detail-types the central rule puts on the stream: every type the detector understands
 * (docs/semantics.md "Input"), so a member template that later forwards more needs no central change.
 */
export const CENTRAL_DETAIL_TYPES = [
  'AWS API Call via CloudTrail',
  'AWS Console Sign In via CloudTrail',
  'AWS Console Action via CloudTrail',
  'AWS Service Event via CloudTrail',
];

/**
 * The Kinesis partition key: the session issuer's ARN, i.e. the role behind an assumed-role
 * session. All of one role's events land on one shard, in order, which keeps the detector's
 * per-principal cache warm. Fallback: when the path is absent (IAM users, root, console
 * sign-ins without a session issuer), EventBridge uses the event id, which spreads those
 * events evenly. Limit: one partition key is one shard, and a shard accepts 1 MB/s or 1,000
 * records/s of writes, on-demand or not; a single role above that rate is a hot key (see
 * infra/README.md "Partition key").
 */
export const PARTITION_KEY_PATH = '$.detail.userIdentity.sessionContext.sessionIssuer.arn';

/** Global services (IAM, Organizations, STS's global endpoint, console sign-in) reach EventBridge only here. */
export const GLOBAL_EVENTS_REGION = 'us-east-1';

/** The Lambda functions this program deploys, one folder each under handlers/. */
export const FUNCTION_NAMES = [
  'detector',
  'alert-dispatcher',
  'redrive',
  'watchdog',
  'triage',
  'trail-reader',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Where the validated config lands inside every bundle (Lambda unpacks the zip to /var/task). */
export const CONFIG_FILE_NAME = 'config.json';
export const LAMBDA_TASK_ROOT = '/var/task';

/**
 * Default secret holding the Slack app's signing secret (the triage function verifies every
 * request with it): `<namePrefix>/slack-signing`, prefixed like the guide asks of every
 * secret name. Stacks deployed before this default (`FIRSTSEEN_SLACK_SIGNING_SECRET`) keep
 * their secret with `firstseen:triage '{"signingSecretName":"FIRSTSEEN_SLACK_SIGNING_SECRET"}'`
 * (infra/README.md "Slack app").
 */
export function defaultSlackSigningSecretName(namePrefix: string): string {
  return `${namePrefix}/slack-signing`;
}

/** An AWS Organization id. */
export const ORG_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/** An organizational unit id or the organization's root id (StackSet deployment targets). */
export const OU_OR_ROOT_ID_PATTERN = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
