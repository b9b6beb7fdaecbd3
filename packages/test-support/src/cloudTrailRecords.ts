/** Small CloudTrail records for tests: valid, observed, with the fields detection uses. */

export interface TestEventOptions {
  eventId: string;
  /** Role name: the principal becomes `role/<role>`. */
  role?: string;
  eventSource?: string;
  eventName?: string;
  account?: string;
  region?: string;
  eventTime?: string;
  errorCode?: string;
}

export function cloudTrailRecord(o: TestEventOptions): Record<string, unknown> {
  const role = o.role ?? 'deploy';
  const account = o.account ?? '111122223333';
  const record: Record<string, unknown> = {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE:${role}-session`,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/${role}-session`,
      accountId: account,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLE',
          arn: `arn:aws:iam::${account}:role/${role}`,
          accountId: account,
          userName: role,
        },
      },
    },
    eventTime: o.eventTime ?? '2024-05-01T12:00:00Z',
    eventSource: o.eventSource ?? 'iam.amazonaws.com',
    eventName: o.eventName ?? 'CreateUser',
    awsRegion: o.region ?? 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    eventID: o.eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: account,
  };
  if (o.errorCode !== undefined) record.errorCode = o.errorCode;
  return record;
}

/** The same record inside an EventBridge envelope, as the organization bus delivers it. */
export function eventBridgeEnvelope(record: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: `eb-${String(record.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${String(record.eventSource).split('.')[0]}`,
    account: '111122223333',
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

/** CloudTrail's StopLogging by the root user of 111122223333: sensitive, root, high severity. */
export function rootStopLogging(eventId: string): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'Root',
      principalId: '111122223333',
      arn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
    },
    eventTime: '2024-05-01T12:00:00Z',
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'console.amazonaws.com',
    requestParameters: { name: 'org-trail' },
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
}
