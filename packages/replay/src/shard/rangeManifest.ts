import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ReplayError } from '../errors';
import { keyMayMatch, parseObjectKey, type ReplayFilters } from '../objectKeys';
import { isReplayableS3Key } from '../sources';
import { resultBucketOf } from './stateMachine';

/**
 * The objects of one `--on aws` run, listed by the command line before the execution starts: the
 * state machine's ItemReader reads this file (JSON Lines, one `{"Key","Size"}` per object), so
 * the map hands the shards only the objects whose key can hold events in the range, instead of
 * every object under the prefix (docs: packages/replay/README.md "Seeding on AWS").
 */
export interface RangeManifest {
  bucket: string;
  key: string;
  /** Objects written to the manifest (the map's items). */
  objects: number;
  /** Objects listed under the prefix, in the range or not. */
  listed: number;
  bytes: number;
}

export interface ListingProgress {
  listed: number;
  inRange: number;
  pages: number;
  elapsedMs: number;
  done: boolean;
}

/** Where the manifests go in the results bucket (beside the ResultWriter's `replay-results/`). */
export const MANIFEST_PREFIX = 'replay-manifests';
/**
 * The manifest is uploaded with one PutObject, whose limit is 5 GiB: about 35 million objects
 * (a line is about 150 bytes). Past it the run is refused before it starts; split the range.
 */
export const MAX_MANIFEST_BYTES = 5 * 1024 ** 3;
/** A progress line every this many listed pages (1,000 keys each), and at the end. */
const PROGRESS_EVERY_PAGES = 10;

/** The range's objects could not be listed or written (one line, names the bucket). */
export class RangeManifestError extends ReplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RangeManifestError';
  }
}

const describe = (err: unknown): string => {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
};

/** The results bucket of the deployed state machine (its ResultWriter's), where the manifest goes. */
export async function manifestBucketOf(sfn: SFNClient, stateMachineArn: string): Promise<string> {
  let definition: string | undefined;
  try {
    definition = (await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).definition;
  } catch (err) {
    throw new RangeManifestError(`describing ${stateMachineArn} failed (${describe(err)})`, { cause: err });
  }
  const bucket = definition === undefined ? undefined : resultBucketOf(JSON.parse(definition));
  if (bucket === undefined)
    throw new RangeManifestError(
      `${stateMachineArn} is not the replay's state machine (no ResultWriter bucket in its definition)`,
    );
  return bucket;
}

export interface WriteRangeManifestOptions {
  /** The trail. */
  bucket: string;
  prefix: string;
  filters: ReplayFilters;
  /** Where the manifest goes. */
  manifestBucket: string;
  manifestKey: string;
  /** Refuse a manifest larger than this (default MAX_MANIFEST_BYTES). */
  maxBytes?: number;
}

export interface WriteRangeManifestDeps {
  s3: S3Client;
  onProgress?: (progress: ListingProgress) => void;
  clock?: () => number;
}

/**
 * Lists the prefix (ListObjectsV2, paginated), keeps the objects the replay reads whose key can
 * hold events that pass the filters (`keyMayMatch`: the key's date folder widened by a day each
 * side, account and region), writes them as JSON Lines to a temporary file, then uploads it.
 * Nothing is started when the range holds no object or the manifest would be too large.
 */
export async function writeRangeManifest(
  options: WriteRangeManifestOptions,
  deps: WriteRangeManifestDeps,
): Promise<RangeManifest> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const maxBytes = options.maxBytes ?? MAX_MANIFEST_BYTES;
  const where = `s3://${options.bucket}/${options.prefix}`;
  const dir = await mkdtemp(join(tmpdir(), 'firstseen-manifest-'));
  const file = join(dir, 'manifest.jsonl');
  try {
    const out = createWriteStream(file);
    const finished = new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
    });
    finished.catch(() => undefined); // awaited below; a failure on an abandoned write is not unhandled
    let listed = 0;
    let inRange = 0;
    let pages = 0;
    let bytes = 0;
    let token: string | undefined;
    const report = (done: boolean) =>
      deps.onProgress?.({ listed, inRange, pages, elapsedMs: clock() - started, done });
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await deps.s3.send(
          new ListObjectsV2Command({
            Bucket: options.bucket,
            Prefix: options.prefix,
            ContinuationToken: token,
          }),
        );
      } catch (err) {
        out.destroy();
        throw new RangeManifestError(`listing ${where} failed (${describe(err)})`, { cause: err });
      }
      pages++;
      let chunk = '';
      for (const c of page.Contents ?? []) {
        if (c.Key === undefined) continue;
        listed++;
        if (!isReplayableS3Key(c.Key) || !keyMayMatch(parseObjectKey(c.Key), options.filters)) continue;
        inRange++;
        chunk += `${JSON.stringify(c.Size === undefined ? { Key: c.Key } : { Key: c.Key, Size: c.Size })}\n`;
      }
      bytes += Buffer.byteLength(chunk);
      if (bytes > maxBytes) {
        out.destroy();
        throw new RangeManifestError(
          `${where}: the range holds more objects than one run's manifest takes (over ${maxBytes} bytes after ${inRange} objects); split it with --from/--to`,
        );
      }
      if (chunk !== '' && !out.write(chunk))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      if (pages % PROGRESS_EVERY_PAGES === 0) report(false);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    out.end();
    await finished;
    report(true);
    if (inRange === 0)
      throw new RangeManifestError(
        `${where}: no trail object in the range (${listed} objects listed); check the prefix, --from/--to, --accounts and --regions`,
      );
    try {
      await deps.s3.send(
        new PutObjectCommand({
          Bucket: options.manifestBucket,
          Key: options.manifestKey,
          Body: createReadStream(file),
          ContentLength: bytes,
          ContentType: 'application/jsonl',
        }),
      );
    } catch (err) {
      throw new RangeManifestError(
        `writing the manifest s3://${options.manifestBucket}/${options.manifestKey} failed (${describe(err)})`,
        { cause: err },
      );
    }
    return { bucket: options.manifestBucket, key: options.manifestKey, objects: inRange, listed, bytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One progress line of the listing. */
export function formatListingProgress(p: ListingProgress): string {
  return `listing ${p.done ? 'done' : '...'}: ${p.listed} objects listed, ${p.inRange} in the range, ${Math.round(p.elapsedMs / 1000)} s`;
}
