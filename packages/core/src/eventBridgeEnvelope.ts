import { createHash } from 'node:crypto';
import { CLOUDTRAIL_DETAIL_TYPES } from './schemas';

/** An EventBridge event carrying a CloudTrail record, as the bus delivers it to the stream. */
export type CloudTrailBusEvent = {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
};

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
 * Wraps a CloudTrail record in the EventBridge envelope the bus would deliver: the detail-type by
 * eventType (a ConsoleLogin without one is a console sign-in, anything else an API call), the
 * source from eventSource, the account from recipientAccountId else userIdentity.accountId.
 * The envelope id is derived from the eventID (SHA-256, UUID-shaped), so wrapping the same
 * record twice gives the same envelope.
 */
export function toEventBridgeEnvelope(record: Record<string, unknown>): CloudTrailBusEvent {
  const eventType = str(record.eventType);
  const detailType =
    DETAIL_TYPE_BY_EVENT_TYPE[eventType] ??
    (str(record.eventName) === 'ConsoleLogin'
      ? DETAIL_TYPE_BY_EVENT_TYPE.AwsConsoleSignIn!
      : DETAIL_TYPE_BY_EVENT_TYPE.AwsApiCall!);
  const identity = isObject(record.userIdentity) ? record.userIdentity : {};
  const id = createHash('sha256').update(str(record.eventID)).digest('hex');
  return {
    version: '0',
    id: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
    'detail-type': detailType,
    source: `aws.${str(record.eventSource).replace(/\.amazonaws\.com$/, '')}`,
    account: str(record.recipientAccountId) || str(identity.accountId),
    time: str(record.eventTime),
    region: str(record.awsRegion),
    resources: [],
    detail: record,
  };
}

/**
 * Any parsed value as the bus would deliver it: an envelope with a CloudTrail detail-type is kept
 * as it is; anything else is taken as a bare record and wrapped (a non-object as an empty one,
 * which the decoder then finds invalid).
 */
export function asEventBridgeEnvelope(value: unknown): Record<string, unknown> {
  if (isObject(value) && CLOUDTRAIL_DETAIL_TYPES.includes(str(value['detail-type']))) return value;
  return toEventBridgeEnvelope(isObject(value) ? value : {});
}
