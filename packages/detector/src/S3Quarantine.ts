import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { QuarantineWriteError } from './errors';
import { quarantineBody, quarantineKey } from './quarantineObject';
import type { Quarantine, QuarantineItem } from './types';

export interface S3QuarantineOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix, default `quarantine/`. */
  prefix?: string;
}

/**
 * Quarantine in S3: one JSON object per record at `quarantine/YYYY/MM/DD/<shard>/<sequence>.json`.
 * The key depends only on the record, so a redelivered poison record overwrites its own object.
 */
export class S3Quarantine implements Quarantine {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3QuarantineOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? 'quarantine/';
  }

  keyOf(item: QuarantineItem): string {
    return quarantineKey(item, this.prefix);
  }

  async put(item: QuarantineItem): Promise<void> {
    const key = this.keyOf(item);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: quarantineBody(item),
          ContentType: 'application/json',
        }),
      );
    } catch (err) {
      throw new QuarantineWriteError(`quarantine write of s3://${this.bucket}/${key} failed`, { cause: err });
    }
  }
}
