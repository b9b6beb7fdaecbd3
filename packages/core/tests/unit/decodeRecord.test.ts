import { gzipSync } from 'node:zlib';
import type { Decoded, ObservedEvent } from '../../src';
import { classifyRecord, decodeOptionsFromConfig, decodeRecord, defaultConfig, parseConfig } from '../../src';

function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:alice',
      arn: 'arn:aws:sts::111122223333:assumed-role/deploy/alice',
      accountId: '111122223333',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          arn: 'arn:aws:iam::111122223333:role/deploy',
          accountId: '111122223333',
          userName: 'deploy',
        },
      },
    },
    eventTime: '2024-05-01T10:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    awsRegion: 'eu-west-1',
    eventID: 'e-1',
    readOnly: false,
    eventType: 'AwsApiCall',
    ...overrides,
  };
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function only(decoded: Decoded[]): Decoded {
  expect(decoded).toHaveLength(1);
  return decoded[0] as Decoded;
}

function observed(decoded: Decoded[]): ObservedEvent {
  const d = only(decoded);
  if (d.outcome !== 'observed') throw new Error(`expected observed, got ${JSON.stringify(d)}`);
  return d.event;
}

describe('decodeRecord()', () => {
  describe('input shapes', () => {
    it('observes a bare CloudTrail record given as bytes', () => {
      const e = observed(decodeRecord(json(record())));
      expect(e).toMatchObject({
        eventId: 'e-1',
        principal: 'role/deploy',
        account: '111122223333',
        region: 'eu-west-1',
        action: 'iam.amazonaws.com:CreateUser',
        identityType: 'AssumedRole',
        sessionName: 'alice',
        failed: false,
        readOnly: false,
        time: Date.UTC(2024, 4, 1, 10),
      });
    });

    it('accepts the same record given as a string', () => {
      expect(observed(decodeRecord(JSON.stringify(record()))).eventId).toBe('e-1');
    });

    it('gunzips gzip-compressed data', () => {
      const e = observed(decodeRecord(gzipSync(JSON.stringify(record()))));
      expect(e.eventId).toBe('e-1');
    });

    it('unwraps an EventBridge envelope of a CloudTrail detail-type', () => {
      const envelope = {
        version: '0',
        id: 'x',
        'detail-type': 'AWS API Call via CloudTrail',
        source: 'aws.iam',
        detail: record(),
      };
      expect(observed(decodeRecord(json(envelope))).principal).toBe('role/deploy');
    });

    it.each([
      'AWS Console Sign In via CloudTrail',
      'AWS Console Action via CloudTrail',
      'AWS Service Event via CloudTrail',
    ])('unwraps the detail-type %s', (detailType) => {
      const envelope = { 'detail-type': detailType, source: 'aws.iam', detail: record() };
      expect(observed(decodeRecord(json(envelope))).eventId).toBe('e-1');
    });

    it('ignores an EventBridge event of another detail-type', () => {
      const d = only(
        decodeRecord(json({ 'detail-type': 'EC2 Instance State-change Notification', detail: {} })),
      );
      expect(d).toMatchObject({ outcome: 'ignored', reason: 'detail-type' });
    });

    it('rejects a CloudTrail envelope whose detail is not an object', () => {
      const envelope = { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.iam', detail: 'x' };
      expect(only(decodeRecord(json(envelope)))).toMatchObject({ outcome: 'invalid', reason: 'not-object' });
    });
  });

  describe('envelope source and account (untrusted-source)', () => {
    const envelope = (overrides: Record<string, unknown>): Record<string, unknown> => ({
      version: '0',
      id: 'x',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.iam',
      account: '111122223333',
      detail: record({ recipientAccountId: '111122223333' }),
      ...overrides,
    });

    it.each([
      ['a custom source', 'custom.iam', 'source "custom.iam" is not aws.*'],
      ['a source that only contains aws.', 'evil.aws.iam', 'source "evil.aws.iam" is not aws.*'],
      ['an upper-case AWS. source', 'AWS.iam', 'source "AWS.iam" is not aws.*'],
      ['the bare word aws', 'aws', 'source "aws" is not aws.*'],
      ['an empty source', '', 'source "" is not aws.*'],
      ['a source that is a number', 7, 'source is number'],
      ['a source that is an array', ['aws.iam'], 'source is array'],
      ['no source at all', undefined, 'source is undefined'],
    ])('ignores an envelope with %s, with the envelope account', (_name, source, detail) => {
      const d = only(decodeRecord(json(envelope({ source, account: '444455556666' }))));
      expect(d).toEqual({
        outcome: 'ignored',
        reason: 'untrusted-source',
        detail,
        envelopeAccount: '444455556666',
      });
    });

    it('ignores a forged envelope before looking at its detail, even an invalid one', () => {
      const d = only(decodeRecord(json(envelope({ source: 'custom', detail: 'x' }))));
      expect(d).toMatchObject({ outcome: 'ignored', reason: 'untrusted-source' });
    });

    it('bounds the source and account it reports', () => {
      const d = only(decodeRecord(json(envelope({ source: 'x'.repeat(5000), account: 'y'.repeat(5000) }))));
      expect(JSON.stringify(d).length).toBeLessThan(300);
    });

    it('observes an aws.* envelope and flags an account that differs from recipientAccountId', () => {
      const d = only(decodeRecord(json(envelope({ account: '444455556666' }))));
      expect(d).toMatchObject({
        outcome: 'observed',
        accountMismatch: { envelope: '444455556666', recipient: '111122223333' },
      });
    });

    it.each([
      ['the accounts agree', {}],
      ['the envelope has no account', { account: undefined }],
      ['the record has no recipientAccountId', { detail: record() }],
    ])('flags no mismatch when %s', (_name, overrides) => {
      const d = only(decodeRecord(json(envelope(overrides))));
      expect(d.outcome).toBe('observed');
      expect(d).not.toHaveProperty('accountMismatch');
    });

    it('applies the rule in classifyRecord too (the replay path)', () => {
      expect(classifyRecord(envelope({ source: 'custom' }))).toMatchObject({ reason: 'untrusted-source' });
    });

    it('returns one outcome per log event of a gzipped CloudWatch Logs payload', () => {
      const payload = {
        messageType: 'DATA_MESSAGE',
        owner: '111122223333',
        logGroup: 'aws-cloudtrail-logs',
        logStream: '111122223333_CloudTrail_eu-west-1',
        subscriptionFilters: ['firstseen'],
        logEvents: [
          { id: '1', timestamp: 1, message: JSON.stringify(record({ eventID: 'a' })) },
          { id: '2', timestamp: 2, message: 'not json' },
          { id: '3', timestamp: 3, message: JSON.stringify(record({ eventID: 'c' })) },
        ],
      };
      const out = decodeRecord(gzipSync(JSON.stringify(payload)));
      expect(out.map((d) => d.outcome)).toEqual(['observed', 'invalid', 'observed']);
      expect(out[1]).toMatchObject({ reason: 'bad-json' });
      expect(out.flatMap((d) => (d.outcome === 'observed' ? [d.event.eventId] : []))).toEqual(['a', 'c']);
    });

    it('returns nothing for a CloudWatch Logs control message', () => {
      const control = { messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logEvents: [] };
      expect(decodeRecord(gzipSync(JSON.stringify(control)))).toEqual([]);
    });

    it('returns one outcome per record of a {"Records": [...]} file', () => {
      const out = decodeRecord(json({ Records: [record({ eventID: 'a' }), 7, record({ eventID: 'b' })] }));
      expect(out.map((d) => d.outcome)).toEqual(['observed', 'invalid', 'observed']);
      expect(out[1]).toMatchObject({ reason: 'not-object' });
    });
  });

  describe('invalid input', () => {
    it('rejects bytes that are not UTF-8 as bad-encoding', () => {
      const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
      expect(only(decodeRecord(bytes))).toMatchObject({ outcome: 'invalid', reason: 'bad-encoding' });
    });

    it('rejects a truncated gzip stream as bad-gzip', () => {
      const gz = gzipSync(JSON.stringify(record()));
      expect(only(decodeRecord(gz.subarray(0, gz.length - 12)))).toMatchObject({
        outcome: 'invalid',
        reason: 'bad-gzip',
      });
    });

    it('rejects text that is not JSON as bad-json without quoting it', () => {
      const d = only(decodeRecord('{"eventID": "secret-value", oops'));
      expect(d).toMatchObject({ outcome: 'invalid', reason: 'bad-json' });
      expect(d.outcome === 'invalid' && d.detail).not.toContain('secret-value');
    });

    it.each([
      ['an array', '[1,2]'],
      ['a string', '"hello"'],
      ['a number', '42'],
      ['null', 'null'],
    ])('rejects %s as not-object', (_name, text) => {
      expect(only(decodeRecord(text))).toMatchObject({ outcome: 'invalid', reason: 'not-object' });
    });

    it('rejects data larger than maxBytes before parsing', () => {
      const data = json(record());
      expect(only(decodeRecord(data, { maxBytes: data.length - 1 }))).toMatchObject({
        outcome: 'invalid',
        reason: 'too-large',
      });
      expect(only(decodeRecord(data, { maxBytes: data.length })).outcome).toBe('observed');
    });

    it('rejects a gzip bomb whose inflated size exceeds maxBytes', () => {
      const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
      expect(bomb.length).toBeLessThan(1024 * 1024);
      expect(only(decodeRecord(bomb))).toMatchObject({ outcome: 'invalid', reason: 'too-large' });
    });

    it('uses 1 MiB as the default limit', () => {
      const big = JSON.stringify(record({ padding: 'x'.repeat(1024 * 1024) }));
      expect(only(decodeRecord(big))).toMatchObject({ outcome: 'invalid', reason: 'too-large' });
    });

    it.each([
      ['eventSource', 'missing-eventSource'],
      ['eventName', 'missing-eventName'],
      ['awsRegion', 'missing-awsRegion'],
      ['eventID', 'missing-eventID'],
      ['eventTime', 'missing-eventTime'],
    ])('rejects a record without %s', (field, reason) => {
      const r = record();
      delete r[field];
      expect(only(decodeRecord(json(r)))).toMatchObject({ outcome: 'invalid', reason });
    });

    it.each([
      ['an empty string', ''],
      ['a number', 123],
      ['null', null],
      ['an object', { value: 'x' }],
    ])('rejects an eventID that is %s', (_name, value) => {
      expect(only(decodeRecord(json(record({ eventID: value }))))).toMatchObject({
        outcome: 'invalid',
        reason: 'missing-eventID',
      });
    });

    it('names every failing field in the detail and the first one in the reason', () => {
      const d = only(decodeRecord(json(record({ awsRegion: '', eventTime: 'soon' }))));
      expect(d).toMatchObject({ outcome: 'invalid', reason: 'missing-awsRegion' });
      expect(d.outcome === 'invalid' && d.detail).toBe(
        'awsRegion is missing; eventTime "soon" is not a valid date-time',
      );
    });
  });

  describe('eventTime', () => {
    const time = (eventTime: string): Decoded => only(decodeRecord(json(record({ eventTime }))));
    const epoch = (eventTime: string): number => observed(decodeRecord(json(record({ eventTime })))).time;

    it.each([
      ['T24:00', '2024-05-01T24:00:00Z'],
      ['hour 25', '2024-05-01T25:00:00Z'],
      ['minute 60', '2024-05-01T10:60:00Z'],
      ['a leap second', '2024-06-30T23:59:60Z'],
      ['Feb 30', '2024-02-30T10:00:00Z'],
      ['Feb 29 in 2023', '2023-02-29T10:00:00Z'],
      ['Feb 29 in 1900', '1900-02-29T10:00:00Z'],
      ['April 31', '2024-04-31T10:00:00Z'],
      ['month 13', '2024-13-01T10:00:00Z'],
      ['day 00', '2024-05-00T10:00:00Z'],
      ['a lower-case t', '2024-05-01t10:00:00Z'],
      ['a lower-case z', '2024-05-01T10:00:00z'],
      ['no zone', '2024-05-01T10:00:00'],
      ['a space for T', '2024-05-01 10:00:00Z'],
      ['a date only', '2024-05-01'],
      ['an empty fraction', '2024-05-01T10:00:00.Z'],
      ['an offset of hour 24', '2024-05-01T10:00:00+24:00'],
      ['a one-digit offset', '2024-05-01T10:00:00+5:30'],
      ['a trailing newline', '2024-05-01T10:00:00Z\n'],
      ['non-ASCII digits', '２０２４-05-01T10:00:00Z'],
    ])('rejects %s as bad-eventTime', (_name, value) => {
      expect(time(value)).toMatchObject({ outcome: 'invalid', reason: 'bad-eventTime' });
    });

    it('accepts Feb 29 in the leap year 2024 and 2000', () => {
      expect(epoch('2024-02-29T10:00:00Z')).toBe(Date.UTC(2024, 1, 29, 10));
      expect(epoch('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
    });

    it('applies +0530 and +05:30 offsets alike', () => {
      const utc = Date.UTC(2024, 4, 1, 4, 30);
      expect(epoch('2024-05-01T10:00:00+0530')).toBe(utc);
      expect(epoch('2024-05-01T10:00:00+05:30')).toBe(utc);
    });

    it('applies negative offsets across a day boundary', () => {
      expect(epoch('2024-12-31T22:00:00-03:00')).toBe(Date.UTC(2025, 0, 1, 1));
      expect(epoch('2024-12-31T22:00:00-0300')).toBe(Date.UTC(2025, 0, 1, 1));
    });

    it('keeps milliseconds of a fraction and truncates finer digits', () => {
      expect(epoch('2024-05-01T10:00:00.5Z')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 500));
      expect(epoch('2024-05-01T10:00:00.123Z')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
      expect(epoch('2024-05-01T10:00:00.123999999Z')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
    });

    it('keeps eventTime exactly as given', () => {
      expect(observed(decodeRecord(json(record({ eventTime: '2024-05-01T10:00:00+05:30' })))).eventTime).toBe(
        '2024-05-01T10:00:00+05:30',
      );
    });

    it('handles years before 100 without the Date.UTC two-digit-year shift', () => {
      expect(epoch('0050-01-01T00:00:00Z')).toBe(new Date('0050-01-01T00:00:00Z').getTime());
    });
  });

  describe('optional fields', () => {
    it('never rejects a record for odd optional fields', () => {
      const e = observed(
        decodeRecord(
          json(
            record({
              readOnly: 'true',
              errorCode: '',
              errorMessage: 42,
              sourceIPAddress: 'not-an-ip <script>',
              userAgent: ['array'],
              requestParameters: 'x',
              resources: null,
              eventCategory: 7,
            }),
          ),
        ),
      );
      expect(e.readOnly).toBe(true);
      expect(e.failed).toBe(false);
      expect(e.errorCode).toBeUndefined();
      expect(e.errorMessage).toBeUndefined();
      expect(e.userAgent).toBeUndefined();
      expect(e.sourceIPAddress).toBe('not-an-ip <script>');
    });

    it('reads readOnly given as a string in any case', () => {
      expect(observed(decodeRecord(json(record({ readOnly: 'False' })))).readOnly).toBe(false);
      expect(observed(decodeRecord(json(record({ readOnly: 'TRUE' })))).readOnly).toBe(true);
      expect(observed(decodeRecord(json(record({ readOnly: 'maybe' })))).readOnly).toBeUndefined();
    });

    it('marks a call failed when errorCode is a non-empty string', () => {
      const e = observed(decodeRecord(json(record({ errorCode: 'AccessDenied', errorMessage: 'denied' }))));
      expect(e).toMatchObject({ failed: true, errorCode: 'AccessDenied', errorMessage: 'denied' });
    });

    it('takes sourceIdentity from the session context, else from the record', () => {
      const withContext = record();
      (
        withContext.userIdentity as { sessionContext: Record<string, unknown> }
      ).sessionContext.sourceIdentity = 'from-context';
      expect(observed(decodeRecord(json(withContext))).sourceIdentity).toBe('from-context');
      expect(observed(decodeRecord(json(record({ sourceIdentity: 'from-record' })))).sourceIdentity).toBe(
        'from-record',
      );
    });

    it('passes hostile strings through unchanged', () => {
      const hostile = '<img src=x onerror=alert(1)>#%\u0000\u202e\n\u0024{{7*7}}"\'`';
      const r = record({
        eventName: hostile,
        userAgent: hostile,
        sourceIPAddress: hostile,
        awsRegion: hostile,
      });
      const e = observed(decodeRecord(json(r)));
      expect(e.eventName).toBe(hostile);
      expect(e.action).toBe(`iam.amazonaws.com:${hostile}`);
      expect(e.userAgent).toBe(hostile);
      expect(e.sourceIPAddress).toBe(hostile);
      expect(e.region).toBe(hostile);
      expect(e.record.eventName).toBe(hostile);
    });
  });

  describe('ignored records', () => {
    it('ignores an Insight event by eventType even though it lacks eventSource and eventName', () => {
      const insight = {
        eventTime: '2020-07-21T20:56:00Z',
        eventType: 'AwsCloudTrailInsight',
        eventID: 'i-1',
      };
      expect(only(decodeRecord(json(insight)))).toMatchObject({
        outcome: 'ignored',
        reason: 'insight',
        eventId: 'i-1',
      });
    });

    it('ignores an Insight event by eventCategory', () => {
      expect(only(decodeRecord(json(record({ eventCategory: 'Insight' }))))).toMatchObject({
        outcome: 'ignored',
        reason: 'insight',
      });
    });

    it('carries the eventId of an ignored valid record', () => {
      expect(only(decodeRecord(json(record({ userIdentity: { type: 'AWSService' } }))))).toMatchObject({
        outcome: 'ignored',
        reason: 'aws-service',
        eventId: 'e-1',
      });
    });

    it('validates before normalising the principal', () => {
      const d = only(decodeRecord(json(record({ userIdentity: { type: 'AWSService' }, eventID: '' }))));
      expect(d).toMatchObject({ outcome: 'invalid', reason: 'missing-eventID' });
    });

    it('ignores a read-only event under coverage write-only', () => {
      const r = json(record({ readOnly: true }));
      expect(only(decodeRecord(r, { coverage: 'write-only' }))).toMatchObject({
        outcome: 'ignored',
        reason: 'read-only',
      });
      expect(only(decodeRecord(r, { coverage: 'all' })).outcome).toBe('observed');
      expect(only(decodeRecord(r)).outcome).toBe('observed');
    });

    it('keeps write events and events without readOnly under coverage write-only', () => {
      expect(only(decodeRecord(json(record({ readOnly: false })), { coverage: 'write-only' })).outcome).toBe(
        'observed',
      );
      const r = record();
      delete r.readOnly;
      expect(only(decodeRecord(json(r), { coverage: 'write-only' })).outcome).toBe('observed');
    });

    it.each([
      ['principals', 'role/dep*', { principals: ['role/other', 'role/dep*'] }],
      ['actions', 'iam.amazonaws.com:Create*', { actions: ['ec2:*', 'iam.amazonaws.com:Create*'] }],
      ['accounts', '1111????3333', { accounts: ['9*', '1111????3333'] }],
      ['regions', 'eu-*', { regions: ['ap-*', 'eu-*'] }],
      ['identityTypes', 'Assumed*', { identityTypes: ['Root', 'Assumed*'] }],
    ])(
      'ignores a record matched by an ignore rule on %s and names the rule and its glob',
      (kind, glob, ignore) => {
        expect(only(decodeRecord(json(record()), { ignore }))).toMatchObject({
          outcome: 'ignored',
          reason: 'ignore-rule',
          detail: `matched ignore.${kind}[1] ${JSON.stringify(glob)}`,
        });
      },
    );

    it('observes a record that no ignore rule matches', () => {
      const ignore = { principals: ['role/other'], actions: ['s3.amazonaws.com:*'], regions: ['us-*'] };
      expect(only(decodeRecord(json(record()), { ignore })).outcome).toBe('observed');
    });
  });
});

describe('classifyRecord()', () => {
  it('classifies an already-parsed record', () => {
    expect(classifyRecord(record()).outcome).toBe('observed');
  });

  it('unwraps an already-parsed envelope', () => {
    expect(
      classifyRecord({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.iam', detail: record() })
        .outcome,
    ).toBe('observed');
  });

  it('rejects a non-object value', () => {
    expect(classifyRecord([record()])).toMatchObject({ outcome: 'invalid', reason: 'not-object' });
  });
});

describe('decodeOptionsFromConfig()', () => {
  it('takes coverage and ignore rules from the config', () => {
    const config = parseConfig({ coverage: 'write-only', ignore: { regions: ['ap-*'] } });
    expect(decodeOptionsFromConfig(config)).toEqual({
      coverage: 'write-only',
      ignore: { principals: [], actions: [], accounts: [], regions: ['ap-*'], identityTypes: [] },
    });
  });

  it('ignores nothing with the default config', () => {
    expect(
      only(decodeRecord(json(record({ readOnly: true })), decodeOptionsFromConfig(defaultConfig()))).outcome,
    ).toBe('observed');
  });
});
