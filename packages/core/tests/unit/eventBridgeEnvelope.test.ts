import { asEventBridgeEnvelope, decodeRecord, TRUSTED_SOURCE_PREFIX, toEventBridgeEnvelope } from '../../src';

const record = {
  eventVersion: '1.08',
  eventTime: '2026-03-02T10:00:00Z',
  eventSource: 'secretsmanager.amazonaws.com',
  eventName: 'GetSecretValue',
  awsRegion: 'eu-west-1',
  eventID: '3f1c9a52-0000-4000-8000-000000000001',
  eventType: 'AwsApiCall',
  recipientAccountId: '111122223333',
  userIdentity: {
    type: 'AssumedRole',
    accountId: '111122223333',
    arn: 'arn:aws:sts::111122223333:assumed-role/payments-api/i-0abc',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        userName: 'payments-api',
        arn: 'arn:aws:iam::111122223333:role/payments-api',
      },
    },
  },
};

describe('toEventBridgeEnvelope()', () => {
  it('wraps a record as the bus delivers an API call, with an id stable per eventID', () => {
    const e = toEventBridgeEnvelope(record);
    expect(e).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.secretsmanager',
      account: '111122223333',
      time: '2026-03-02T10:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: record,
    });
    expect(toEventBridgeEnvelope({ ...record }).id).toBe(e.id);
    expect(toEventBridgeEnvelope({ ...record, eventID: 'other' }).id).not.toBe(e.id);
    const [d] = decodeRecord(JSON.stringify(e));
    expect(d?.outcome).toBe('observed');
  });

  it('picks the detail-type by eventType, and a console sign-in for ConsoleLogin without one', () => {
    const login = { ...record, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin' };
    expect(toEventBridgeEnvelope({ ...login, eventType: 'AwsConsoleSignIn' })['detail-type']).toBe(
      'AWS Console Sign In via CloudTrail',
    );
    const { eventType: _none, ...untyped } = login;
    expect(toEventBridgeEnvelope(untyped)['detail-type']).toBe('AWS Console Sign In via CloudTrail');
    expect(toEventBridgeEnvelope(untyped).source).toBe('aws.signin');
    expect(toEventBridgeEnvelope({ ...record, eventType: 'AwsServiceEvent' })['detail-type']).toBe(
      'AWS Service Event via CloudTrail',
    );
  });

  it('takes the account from userIdentity when recipientAccountId is missing, and ignores odd types', () => {
    const { recipientAccountId: _gone, ...noRecipient } = record;
    expect(toEventBridgeEnvelope(noRecipient).account).toBe('111122223333');
    const odd = toEventBridgeEnvelope({ eventID: 7, userIdentity: 'x', eventSource: ['s3'] });
    expect(odd).toMatchObject({ account: '', source: 'aws.', time: '', region: '' });
  });

  it('always gives an aws.* source, so local publishers pass the untrusted-source rule', () => {
    const sources = ['s3.amazonaws.com', 'signin.amazonaws.com', '', 'custom', 'x.amazonaws.com.evil', 7];
    for (const eventSource of sources) {
      const envelope = toEventBridgeEnvelope({ ...record, eventSource });
      expect(envelope.source.startsWith(TRUSTED_SOURCE_PREFIX)).toBe(true);
      const [d] = decodeRecord(JSON.stringify(envelope));
      expect(d?.outcome === 'ignored' && d.reason).not.toBe('untrusted-source');
    }
  });
});

describe('asEventBridgeEnvelope()', () => {
  it('keeps a CloudTrail envelope as it is and wraps anything else', () => {
    const envelope = toEventBridgeEnvelope(record);
    expect(asEventBridgeEnvelope(envelope)).toBe(envelope);
    expect(asEventBridgeEnvelope(record)).toEqual(envelope);
    // Another detail-type is not a CloudTrail envelope: wrapped, so the decoder judges the whole.
    const other = { ...envelope, 'detail-type': 'EC2 Instance State-change Notification' };
    expect(asEventBridgeEnvelope(other)).toMatchObject({ detail: other });
    const [d] = decodeRecord(JSON.stringify(asEventBridgeEnvelope(42)));
    expect(d?.outcome).toBe('invalid');
  });
});
