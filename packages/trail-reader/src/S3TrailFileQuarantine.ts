import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { QuarantineWriteError } from '@firstseen/detector';
import type { BadTrailFile, TrailFileQuarantine } from './types';

export interface S3TrailFileQuarantineOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix, default `quarantine/trail/`. */
  prefix?: string;
}

/** The quarantine key of a bad file: `<prefix><bucket>/<key>.json`, or `<prefix>messages/<id>.json`. */
export function trailQuarantineKey(file: BadTrailFile, prefix = 'quarantine/trail/'): string {
  if (file.bucket !== undefined && file.key !== undefined) return `${prefix}${file.bucket}/${file.key}.json`;
  return `${prefix}messages/${file.messageId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/**
 * Bad trail files in the detector's quarantine bucket: one small JSON pointer per file (reason,
 * detail, bucket, key). The log file itself stays where CloudTrail wrote it; the key depends
 * only on the file, so a redelivered notification overwrites its own pointer.
 */
export class S3TrailFileQuarantine implements TrailFileQuarantine {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3TrailFileQuarantineOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? 'quarantine/trail/';
  }

  async put(file: BadTrailFile): Promise<void> {
    const key = trailQuarantineKey(file, this.prefix);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify(file),
          ContentType: 'application/json',
        }),
      );
    } catch (err) {
      throw new QuarantineWriteError(`quarantine write of s3://${this.bucket}/${key} failed`, { cause: err });
    }
  }
}
