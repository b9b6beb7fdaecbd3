import { createHash } from 'node:crypto';
import { CLOUDTRAIL_DETAIL_TYPES } from '@firstseen/core';

const DETAIL_TYPE_BY_EVENT_TYPE: Record<string, string> = {
  AwsApiCall: 'AWS API Call via CloudTrail',
  AwsConsoleSignIn: 'AWS Console Sign In via CloudTrail',
  AwsConsoleAction: 'AWS Console Action via CloudTrail',
  AwsServiceEvent: 'AWS Service Event via CloudTrail',
};

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The value as an EventBridge envelope, as the organization bus would deliver it: an envelope
 * with a CloudTrail detail-type is kept as it is; a bare record is wrapped (detail-type from its
 * eventType, a stable id derived from its eventID).
 */
export function toEnvelope(value: unknown): Record<string, unknown> {
  if (isObject(value) && CLOUDTRAIL_DETAIL_TYPES.includes(str(value['detail-type']))) return value;
  const record = isObject(value) ? value : {};
  const eventSource = str(record.eventSource);
  const identity = isObject(record.userIdentity) ? record.userIdentity : {};
  const id = createHash('sha256').update(str(record.eventID)).digest('hex');
  return {
    version: '0',
    id: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
    'detail-type': DETAIL_TYPE_BY_EVENT_TYPE[str(record.eventType)] ?? DETAIL_TYPE_BY_EVENT_TYPE.AwsApiCall,
    source: `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`,
    account: str(record.recipientAccountId) || str(identity.accountId),
    time: str(record.eventTime),
    region: str(record.awsRegion),
    resources: [],
    detail: record,
  };
}

/** Kinesis allows partition keys of at most 256 characters. */
const MAX_PARTITION_KEY = 256;

/**
 * The partition key the organization rule uses (DESIGN "Data flow"): the session issuer's ARN,
 * else the principal's ARN, else the account. One role's events share a shard, keeping them in
 * order; a longer ARN is replaced by its SHA-256 (still stable per principal).
 */
export function partitionKeyOf(envelope: Record<string, unknown>): string {
  const detail = isObject(envelope.detail) ? envelope.detail : {};
  const identity = isObject(detail.userIdentity) ? detail.userIdentity : {};
  const session = isObject(identity.sessionContext) ? identity.sessionContext : {};
  const issuer = isObject(session.sessionIssuer) ? session.sessionIssuer : {};
  const key =
    str(issuer.arn) ||
    str(identity.arn) ||
    str(identity.accountId) ||
    str(detail.recipientAccountId) ||
    str(envelope.account) ||
    'unknown';
  return key.length <= MAX_PARTITION_KEY ? key : createHash('sha256').update(key).digest('hex');
}
