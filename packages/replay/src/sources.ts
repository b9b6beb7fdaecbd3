import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { BadObjectError, ReplayArgumentError, SourceAccessError } from './errors';
import { isFailedBatchKey } from './failedBatch';
import { isDataFile, isSkippedKey, parseObjectKey } from './objectKeys';

/** One object (S3 object, file, or stdin) to replay. */
export interface ReplayObject {
  key: string;
  delivery: string;
  size?: number;
}

/** Where the objects come from: lists them (throws SourceAccessError) and reads one (BadObjectError). */
export interface ObjectSource {
  /** A stable description, e.g. `s3://bucket/prefix`; part of a checkpoint's identity. */
  readonly description: string;
  list(): Promise<ReplayObject[]>;
  read(object: ReplayObject): Promise<Uint8Array>;
  /**
   * The same bytes read synchronously, for sources where that is cheaper than a promise per
   * object (local files: no thread-pool round trips for open, fstat, read and close). The replay
   * then reads objects one at a time, in order, instead of prefetching them.
   */
  readSync?(object: ReplayObject): Uint8Array;
}

export type SourceSpec =
  | { kind: 's3'; bucket: string; prefix: string }
  | { kind: 'path'; path: string }
  | { kind: 'stdin' };

/** `s3://bucket/prefix`, `-` (stdin) or a local path. */
export function parseSourceSpec(source: string): SourceSpec {
  if (source === '-') return { kind: 'stdin' };
  if (source.startsWith('s3://')) {
    const rest = source.slice(5);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash + 1);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new ReplayArgumentError(`not a valid bucket name in ${JSON.stringify(source)}`);
    }
    return { kind: 's3', bucket, prefix };
  }
  if (source === '') throw new ReplayArgumentError('the source is empty');
  return { kind: 'path', path: source };
}

// Errors meaning the whole source is unusable (as opposed to one object being bad).
const ACCESS_ERRORS = new Set([
  'NoSuchBucket',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'CredentialsProviderError',
  'AllAccessDisabled',
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
]);

/**
 * GetObject errors that say the object itself cannot be read, now or on a retry: gone since it
 * was listed, or archived (needs a restore). Any other error leaves the object unjudged.
 */
const BAD_OBJECT_ERRORS = new Set(['NoSuchKey', 'NotFound', 'InvalidObjectState']);

function errorName(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string };
  return e.Code ?? e.name ?? e.code ?? 'Error';
}

/**
 * The S3 SDK, loaded when an S3 source is first used: a replay of local files (and each parallel
 * replay's worker thread) does not pay for loading it.
 */
function s3Sdk(): typeof import('@aws-sdk/client-s3') {
  return require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
}

/**
 * Whether a listed S3 key is one the replay reads: CloudTrail data files, and Lambda's on-failure
 * records of the failure bucket (no extension); not folders, CloudTrail-Digest or CloudTrail-Insight.
 */
export function isReplayableS3Key(key: string): boolean {
  if (key.endsWith('/') || isSkippedKey(key)) return false;
  return isDataFile(key) || isFailedBatchKey(key);
}

/** Objects under an S3 prefix; CloudTrail-Digest and CloudTrail-Insight are skipped. */
export class S3ObjectSource implements ObjectSource {
  readonly description: string;
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    this.description = `s3://${bucket}/${prefix}`;
  }

  async list(): Promise<ReplayObject[]> {
    const objects: ReplayObject[] = [];
    let token: string | undefined;
    // Loaded here, not at import: a worker thread reading files never loads the S3 SDK.
    const { ListObjectsV2Command } = s3Sdk();
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix,
            ContinuationToken: token,
          }),
        );
      } catch (err) {
        const name = errorName(err);
        const why = ACCESS_ERRORS.has(name)
          ? name === 'NoSuchBucket'
            ? `bucket ${this.bucket} does not exist`
            : `access to ${this.description} refused (${name}); check the credentials and region`
          : `listing ${this.description} failed (${name}: ${(err as Error).message})`;
        throw new SourceAccessError(why, { cause: err });
      }
      for (const c of page.Contents ?? []) {
        if (c.Key === undefined || !isReplayableS3Key(c.Key)) continue;
        const o: ReplayObject = { key: c.Key, delivery: parseObjectKey(c.Key).delivery };
        if (c.Size !== undefined) o.size = c.Size;
        objects.push(o);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  async read(object: ReplayObject): Promise<Uint8Array> {
    const { GetObjectCommand } = s3Sdk();
    let body: Uint8Array | undefined;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: object.key }));
      body = await out.Body?.transformToByteArray();
    } catch (err) {
      const name = errorName(err);
      const detail = `${name}: ${(err as Error).message}`;
      if (BAD_OBJECT_ERRORS.has(name))
        throw new BadObjectError(object.key, 'unreadable', detail, { cause: err });
      // Throttling, 5xx, a dropped connection, refused or expired credentials: the object may be
      // fine, so the read fails the run (a shard: Step Functions retries it) instead of
      // recording the object as bad and skipping it for good.
      throw new SourceAccessError(`reading s3://${this.bucket}/${object.key} failed (${detail})`, {
        cause: err,
      });
    }
    if (body === undefined) throw new BadObjectError(object.key, 'unreadable', 'empty body');
    return body;
  }
}

/** A local directory (any depth; CloudTrail layout or not) or a single file. */
export class LocalObjectSource implements ObjectSource {
  readonly description: string;
  constructor(private readonly path: string) {
    this.description = path;
  }

  async list(): Promise<ReplayObject[]> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.path);
    } catch (err) {
      throw new SourceAccessError(`${this.path} cannot be read (${errorName(err)})`, { cause: err });
    }
    if (info.isFile())
      return [{ key: this.path, delivery: parseObjectKey(this.path).delivery, size: info.size }];
    const objects: ReplayObject[] = [];
    // Folders are read concurrently, the objects sorted by key at the end; `key` is the path
    // below this.path with '/' between its parts.
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      const folders: Promise<void>[] = [];
      for (const e of entries) {
        if (e.isDirectory()) folders.push(walk(join(dir, e.name), `${prefix}${e.name}/`));
        else if (e.isFile()) {
          const key = `${prefix}${e.name}`;
          if (!isDataFile(e.name) && !isFailedBatchKey(key)) continue;
          if (!isSkippedKey(key)) objects.push({ key, delivery: parseObjectKey(key).delivery });
        }
      }
      await Promise.all(folders);
    };
    try {
      await walk(this.path, '');
    } catch (err) {
      throw new SourceAccessError(`${this.path} cannot be listed (${errorName(err)})`, { cause: err });
    }
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async read(object: ReplayObject): Promise<Uint8Array> {
    return this.readSync(object);
  }

  readSync(object: ReplayObject): Uint8Array {
    const file = object.key === this.path ? this.path : join(this.path, object.key);
    try {
      return readFileSync(file);
    } catch (err) {
      throw new BadObjectError(object.key, 'unreadable', errorName(err), { cause: err });
    }
  }
}

/** NDJSON on standard input: one object named `-`. */
export class StreamObjectSource implements ObjectSource {
  readonly description = '-';
  constructor(private readonly input: Readable = process.stdin) {}

  async list(): Promise<ReplayObject[]> {
    return [{ key: '-', delivery: '' }];
  }

  async read(): Promise<Uint8Array> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.input) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  }
}

/** The source for a spec, given an S3 client factory (only called for `s3://`). */
export function createObjectSource(spec: SourceSpec, s3: () => S3Client, stdin?: Readable): ObjectSource {
  switch (spec.kind) {
    case 's3':
      return new S3ObjectSource(s3(), spec.bucket, spec.prefix);
    case 'stdin':
      return new StreamObjectSource(stdin);
    case 'path':
      return new LocalObjectSource(spec.path);
  }
}
