import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** A CloudTrail log file key as the organization trail names it. */
export function trailKey(account: string, region: string, delivery: string, suffix: string): string {
  const d = delivery.slice(0, 8);
  return `AWSLogs/o-abc123/${account}/CloudTrail/${region}/${d.slice(0, 4)}/${d.slice(4, 6)}/${d.slice(6, 8)}/${account}_CloudTrail_${region}_${delivery}_${suffix}.json.gz`;
}

/** Writes records as CloudTrail does: gzip of `{"Records":[...]}`. */
export async function putTrailFile(
  s3: S3Client,
  bucket: string,
  key: string,
  records: object[],
): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(JSON.stringify({ Records: records })) }),
  );
}

/** The S3 ObjectCreated notification of one object (S3 "Event message structure" 2.1, key URL-encoded). */
export function s3NotificationBody(bucket: string, key: string): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2024-05-01T12:05:00.000Z',
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 1 },
        },
      },
    ],
  });
}

let nextMessage = 0;

/** An SQS event as Lambda's event source mapping delivers it. */
export function sqsEvent(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map(
      (body): SQSRecord => ({
        messageId: `m-${++nextMessage}`,
        receiptHandle: `rh-${nextMessage}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '1714564800000',
          SenderId: 'AIDAEXAMPLE',
          ApproximateFirstReceiveTimestamp: '1714564800000',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:firstseen-trail',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}
