import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { digestOf } from '../workload/poisonRecords';

/** The digests (sha256 of the bytes) of every record in the quarantine bucket. */
export async function quarantineDigests(s3: S3Client, bucket: string): Promise<Set<string>> {
  const digests = new Set<string>();
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const o of out.Contents ?? []) {
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
      const parsed = JSON.parse(await body.Body!.transformToString()) as {
        data: string;
        dataEncoding: string;
      };
      digests.add(
        digestOf(
          parsed.dataEncoding === 'base64' ? Buffer.from(parsed.data, 'base64') : Buffer.from(parsed.data),
        ),
      );
    }
    token = out.NextContinuationToken;
  } while (token !== undefined);
  return digests;
}
