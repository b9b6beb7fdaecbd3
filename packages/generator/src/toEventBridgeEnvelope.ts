import { hashString, Prng } from './prng';

/** An EventBridge event carrying a CloudTrail record, as the default bus delivers it. */
export interface EventBridgeEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

const DETAIL_TYPES: Record<string, string> = {
  AwsApiCall: 'AWS API Call via CloudTrail',
  AwsConsoleSignIn: 'AWS Console Sign In via CloudTrail',
  AwsConsoleAction: 'AWS Console Action via CloudTrail',
  AwsServiceEvent: 'AWS Service Event via CloudTrail',
};

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * Wraps a CloudTrail record in the EventBridge envelope ("AWS API Call via CloudTrail", or the
 * console sign-in / console action / service event detail-types by eventType). The envelope id
 * is derived from the record's eventID, so wrapping the same record twice gives the same id.
 */
export function toEventBridgeEnvelope(record: Record<string, unknown>): EventBridgeEnvelope {
  const eventType = str(record.eventType);
  const eventName = str(record.eventName);
  const detailType =
    DETAIL_TYPES[eventType] ??
    (eventName === 'ConsoleLogin' ? DETAIL_TYPES.AwsConsoleSignIn! : DETAIL_TYPES.AwsApiCall!);
  const eventSource = str(record.eventSource);
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  const account = str(record.recipientAccountId) || str(identity.accountId);
  const eventId = str(record.eventID);
  return {
    version: '0',
    id: new Prng(hashString(eventId), 'envelope').uuid(),
    'detail-type': detailType,
    source: `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`,
    account,
    time: str(record.eventTime),
    region: str(record.awsRegion),
    resources: [],
    detail: record,
  };
}
