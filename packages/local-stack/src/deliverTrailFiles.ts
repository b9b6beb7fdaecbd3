import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type CloudTrailRecord, toCloudTrailFiles } from '@firstseen/generator';
import type { LocalQueue } from './LocalQueue';

/**
 * The body S3 sends to a queue for one new object (S3 "Event message structure", version 2.1):
 * the key URL-encoded as S3 does it, with `+` for a space.
 */
export function objectCreatedNotification(bucket: string, key: string, at: Date | number): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date(at).toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:cloudtrail' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'firstseen-trail',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+') },
        },
      },
    ],
  });
}

/**
 * What CloudTrail and S3 do for the trail feed locally: the records as CloudTrail log files (one
 * per account, region and five-minute window, gzipped `{"Records":[...]}` under their real
 * object names) written to the trail bucket, and one ObjectCreated notification per file sent
 * to the queue.
 */
export async function deliverTrailFiles(options: {
  s3: S3Client;
  bucket: string;
  queue: LocalQueue;
  records: Iterable<CloudTrailRecord>;
  seed?: string;
}): Promise<{ files: number; records: number }> {
  let files = 0;
  let records = 0;
  for (const file of toCloudTrailFiles(options.records, { seed: options.seed ?? 'firstseen-trail' })) {
    await options.s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: file.key,
        Body: gzipSync(JSON.stringify({ Records: file.records })),
      }),
    );
    options.queue.send(objectCreatedNotification(options.bucket, file.key, Date.now()));
    files++;
    records += file.records.length;
  }
  return { files, records };
}
