import { isTrailLogFile } from '../../src/isTrailLogFile';
import { objectsOfMessage } from '../../src/trailNotification';

const KEY =
  'AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/12/06/111122223333_CloudTrail_us-east-1_20261206T1405Z_AbCdEf.json.gz';

// Shapes as AWS documents them: S3 "Event message structure" (version 2.1, key URL-encoded),
// CloudTrail "Configuring Amazon SNS notifications" ({"s3Bucket","s3ObjectKey":[...]}) and SNS's
// envelope as delivered to an SQS subscriber without raw message delivery.
function s3Notification(key: string, eventName = 'ObjectCreated:Put'): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-12-06T14:05:31.000Z',
        eventName,
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'firstseen-trail',
          bucket: { name: 'org-trail', arn: 'arn:aws:s3:::org-trail' },
          object: { key, size: 1234, eTag: 'abc', sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  });
}

function sns(message: string): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'da41e39f-ea4d-435a-b922-c6aae3915ebe',
    TopicArn: 'arn:aws:sns:us-east-1:444455556666:org-trail-files',
    Subject: 'Amazon S3 Notification',
    Message: message,
    Timestamp: '2026-12-06T14:05:31.000Z',
    SignatureVersion: '1',
  });
}

describe('objectsOfMessage()', () => {
  it('reads an S3 event notification sent to the queue directly, decoding the key', () => {
    expect(objectsOfMessage(s3Notification('AWSLogs/a+b%3Dc.json.gz'))).toEqual({
      ok: true,
      objects: [{ bucket: 'org-trail', key: 'AWSLogs/a b=c.json.gz' }],
    });
  });

  it('reads an S3 event notification wrapped in SNS', () => {
    expect(objectsOfMessage(sns(s3Notification(KEY)))).toEqual({
      ok: true,
      objects: [{ bucket: 'org-trail', key: KEY }],
    });
  });

  it("reads CloudTrail's own SNS notification, every key of it", () => {
    const message = JSON.stringify({ s3Bucket: 'org-trail', s3ObjectKey: [KEY, `${KEY}2`] });
    expect(objectsOfMessage(sns(message))).toEqual({
      ok: true,
      objects: [
        { bucket: 'org-trail', key: KEY },
        { bucket: 'org-trail', key: `${KEY}2` },
      ],
    });
  });

  it("names no object for S3's test event or a non-creation event", () => {
    const test = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'org-trail' });
    expect(objectsOfMessage(test)).toEqual({ ok: true, objects: [] });
    expect(objectsOfMessage(s3Notification(KEY, 'ObjectRemoved:Delete'))).toEqual({ ok: true, objects: [] });
  });

  it('refuses a body that is not a notification, with a one-line detail', () => {
    expect(objectsOfMessage('not json')).toEqual({
      ok: false,
      detail: 'message body is not JSON (8 characters)',
    });
    expect(objectsOfMessage('{"hello":1}').ok).toBe(false);
    expect(objectsOfMessage(sns('{oops')).ok).toBe(false);
  });
});

describe('isTrailLogFile()', () => {
  it('accepts CloudTrail log files with and without the organization id', () => {
    expect(isTrailLogFile(KEY)).toBe(true);
    expect(isTrailLogFile(KEY.replace('o-abc123/', ''))).toBe(true);
    expect(isTrailLogFile(`prefix/${KEY}`)).toBe(true);
  });

  it('skips digest files, Insight files and other objects', () => {
    expect(
      isTrailLogFile(
        'AWSLogs/o-abc123/111122223333/CloudTrail-Digest/us-east-1/2026/12/06/111122223333_CloudTrail-Digest_us-east-1_org_us-east-1_20261206T1405Z.json.gz',
      ),
    ).toBe(false);
    expect(
      isTrailLogFile(
        'AWSLogs/o-abc123/111122223333/CloudTrail-Insight/us-east-1/2026/12/06/111122223333_CloudTrail-Insight_us-east-1_20261206T1405Z_x.json.gz',
      ),
    ).toBe(false);
    expect(isTrailLogFile('AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/12/06/readme.txt')).toBe(
      false,
    );
    expect(isTrailLogFile('AWSLogs/111122223333/elasticloadbalancing/us-east-1/2026/12/06/x.json.gz')).toBe(
      false,
    );
  });
});
