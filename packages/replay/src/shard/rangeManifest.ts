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
import { DAY_MS } from '@firstseen/core';
import { SeedOnAwsError } from '../errors';
import { keyMayMatch, parseObjectKey, type ReplayFilters } from '../objectKeys';
import { isReplayableS3Key } from '../sources';
import { resultWriterOf } from './stateMachine';

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
 * The manifest is uploaded with one PutObject, whose limit is 5 GiB: about 32 million objects (a
 * line of an organization trail's key is about 165 bytes). Past it the run is refused before it
 * starts: split the range with --from/--to.
 */
export const MAX_MANIFEST_BYTES = 5 * 1024 ** 3;
/** A progress report at most this often while listing (a page of 1,000 keys takes ~0.1 s), and at the end. */
export const LISTING_PROGRESS_MS = 5000;

/**
 * The range's objects could not be listed or written, or there are none, or too many for one
 * run: nothing was started; one line naming the bucket (the script exits 2).
 */
export class RangeManifestError extends SeedOnAwsError {
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
  const bucket = definition === undefined ? undefined : resultWriterOf(definition)?.bucket;
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
  /** Keys per ListObjectsV2 page (S3's default and most: 1,000; smaller in tests). */
  pageSize?: number;
}

export interface WriteRangeManifestDeps {
  s3: S3Client;
  onProgress?: (progress: ListingProgress) => void;
  clock?: () => number;
}

/**
 * Lists the prefix (ListObjectsV2, skipping the day folders outside the range of each account
 * and region, see `listRange`), keeps the objects the replay reads whose key can hold
 * events that pass the filters (`keyMayMatch`: the key's date folder widened by a day each side,
 * account and region), writes them as JSON Lines to a temporary file, then uploads it.
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
    let reported = started;
    const report = (done: boolean) => {
      reported = clock();
      deps.onProgress?.({ listed, inRange, pages, elapsedMs: reported - started, done });
    };
    /** One page's objects: the ones the replay reads in the range go to the file. */
    const take = async (objects: { Key: string; Size?: number }[], onPage: number): Promise<void> => {
      pages++;
      listed += onPage;
      let chunk = '';
      for (const o of objects) {
        if (!isReplayableS3Key(o.Key) || !keyMayMatch(parseObjectKey(o.Key), options.filters)) continue;
        inRange++;
        chunk += `${JSON.stringify(o.Size === undefined ? { Key: o.Key } : { Key: o.Key, Size: o.Size })}\n`;
      }
      bytes += Buffer.byteLength(chunk);
      if (bytes > maxBytes)
        throw new RangeManifestError(
          `${where}: the range holds more objects than one run's manifest takes (over ${maxBytes} bytes after ${inRange} objects); split it with --from/--to`,
        );
      if (chunk !== '' && !out.write(chunk))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      if (clock() - reported >= LISTING_PROGRESS_MS) report(false);
    };
    try {
      await listRange(deps.s3, options.bucket, options.prefix, options.filters, options.pageSize, take);
    } catch (err) {
      out.destroy();
      if (err instanceof RangeManifestError) throw err;
      throw new RangeManifestError(`listing ${where} failed (${describe(err)})`, { cause: err });
    }
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

// CloudTrail's layout: AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.
const ACCOUNT_OF = /^(.*?(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/)/;
const SKIPPED_FOLDER_OF = /^(.*?\/CloudTrail-(?:Digest|Insight)\/)/;
const REGION_OF =
  /^(.*?(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?\d{12}\/CloudTrail\/([a-z0-9-]+)\/)(\d{4}\/\d{2}\/\d{2})\//;
/**
 * folder + this sorts after every key CloudTrail writes in the folder (ASCII letters, digits,
 * `-_./`; `~` is the last printable ASCII): a StartAfter that skips the folder.
 */
const PAST = '~';
const dayFolder = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');

/**
 * Where the listing may jump to from this key (a StartAfter past it), or undefined to keep it.
 * Keys of a region folder sort by date, so the listing skips the days before the range (to the
 * first day folder `keyMayMatch` can keep, its day + 2 > from, a day wider), the days after it
 * (its day - 1 < to, a day wider), and whole folders of accounts and regions the filters rule
 * out, and digests and insights. `keyMayMatch` still decides each key kept.
 */
function jumpFrom(
  key: string,
  filters: ReplayFilters,
  firstDay?: string,
  lastDay?: string,
): string | undefined {
  const skipped = SKIPPED_FOLDER_OF.exec(key);
  if (skipped) return skipped[1]! + PAST;
  const account = ACCOUNT_OF.exec(key);
  if (account && filters.accounts?.length && !filters.accounts.includes(account[2]!))
    return account[1]! + PAST;
  const region = REGION_OF.exec(key);
  if (!region) return undefined;
  const [, folder, name, day] = region as unknown as [string, string, string, string];
  if (filters.regions?.length && !filters.regions.includes(name)) return folder + PAST;
  if (firstDay !== undefined && day < firstDay) return folder + firstDay;
  if (lastDay !== undefined && day > lastDay) return folder + PAST;
  return undefined;
}

/** A prefix that ends at the accounts' folders: `.../AWSLogs/` or `.../AWSLogs/o-org/`. */
const ACCOUNTS_LEVEL = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?$/;

/**
 * Lists the prefix in key order (ListObjectsV2 pages, each from StartAfter), handing each page's
 * keys that are not jumped over to `take`. A trail's listing then costs about one request per
 * 1,000 objects of the range plus a few per account and region folder, not one per 1,000 objects
 * of the whole trail. At the accounts' level (`AWSLogs/<org-id>/`), the key space is cut into 10
 * slices by the account ID's first digit, listed at once: every key falls in exactly one slice
 * (each is (bound before, its bound]), whatever it is.
 */
async function listRange(
  s3: S3Client,
  bucket: string,
  prefix: string,
  filters: ReplayFilters,
  pageSize: number | undefined,
  take: (objects: { Key: string; Size?: number }[], listed: number) => Promise<void>,
): Promise<void> {
  const firstDay = filters.from === undefined ? undefined : dayFolder(filters.from - 3 * DAY_MS);
  const lastDay = filters.to === undefined ? undefined : dayFolder(filters.to + DAY_MS);
  /** Keys after `from` (exclusive) up to `until` (inclusive); undefined: no bound. */
  const slice = async (from: string | undefined, until: string | undefined): Promise<void> => {
    let after = from;
    for (;;) {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(after !== undefined && { StartAfter: after }),
          ...(pageSize !== undefined && { MaxKeys: pageSize }),
        }),
      );
      const contents = page.Contents ?? [];
      const kept: { Key: string; Size?: number }[] = [];
      let skipTo: string | undefined;
      let listed = 0;
      let end = false;
      for (const c of contents) {
        if (c.Key === undefined) continue;
        if (until !== undefined && c.Key > until) {
          end = true;
          break;
        }
        listed++;
        if (skipTo !== undefined && c.Key <= skipTo) continue;
        const jump = jumpFrom(c.Key, filters, firstDay, lastDay);
        if (jump !== undefined) {
          skipTo = jump;
          continue;
        }
        kept.push(c.Size === undefined ? { Key: c.Key } : { Key: c.Key, Size: c.Size });
      }
      await take(kept, listed);
      const last = contents.at(-1)?.Key;
      if (end || !page.IsTruncated || last === undefined) return;
      after = skipTo !== undefined && skipTo > last ? skipTo : last;
      if (until !== undefined && after >= until) return;
    }
  };
  if (!ACCOUNTS_LEVEL.test(prefix)) return slice(undefined, undefined);
  const bounds = [...'123456789'].map((d) => prefix + d);
  await Promise.all([undefined, ...bounds].map((from, i) => slice(from, bounds[i])));
}

/** One progress line of the listing. */
export function formatListingProgress(p: ListingProgress): string {
  const listed = p.done ? `${p.listed} objects listed` : `${p.listed} objects listed so far`;
  return `listing${p.done ? ' done' : ''}: ${listed}, ${p.inRange} in the range, ${Math.round(p.elapsedMs / 1000)} s`;
}
