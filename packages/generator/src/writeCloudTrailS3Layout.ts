import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Prng } from './prng';
import type { CloudTrailRecord } from './types';

/** CloudTrail delivers a log file per account and region about every five minutes. */
export const DELIVERY_WINDOW_SEC = 300;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/**
 * The S3 key CloudTrail gives a log file:
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<suffix>.json.gz`,
 * dated by the delivery time.
 */
export function cloudTrailObjectKey(
  account: string,
  region: string,
  deliveredAt: Date | number,
  suffix: string,
): string {
  const d = new Date(deliveredAt);
  const y = d.getUTCFullYear();
  const mo = pad(d.getUTCMonth() + 1);
  const day = pad(d.getUTCDate());
  const stamp = `${y}${mo}${day}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  return `AWSLogs/${account}/CloudTrail/${region}/${y}/${mo}/${day}/${account}_CloudTrail_${region}_${stamp}_${suffix}.json.gz`;
}

export interface CloudTrailFile {
  key: string;
  account: string;
  region: string;
  /** Delivery time (epoch ms): the end of the five-minute window. */
  deliveredAt: number;
  records: CloudTrailRecord[];
}

function eventSec(r: CloudTrailRecord): number {
  return Math.floor(Date.parse(r.eventTime) / 1000);
}

/**
 * Groups time-ordered records into CloudTrail log files, one per account, region and
 * five-minute delivery window, lazily: at most one window's records are held at a time.
 * A record older than the window being filled goes into the current window (a late delivery).
 */
export function* toCloudTrailFiles(
  records: Iterable<CloudTrailRecord>,
  options: { seed?: string | number } = {},
): Generator<CloudTrailFile> {
  const rng = new Prng(options.seed ?? 'firstseen', 's3-layout');
  let window = -Infinity;
  let buffers = new Map<string, CloudTrailRecord[]>();
  const flush = function* (): Generator<CloudTrailFile> {
    const deliveredAt = (window + 1) * DELIVERY_WINDOW_SEC * 1000;
    for (const [k, recs] of [...buffers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [account, region] = k.split('|') as [string, string];
      yield {
        key: cloudTrailObjectKey(account, region, deliveredAt, rng.alnum(16)),
        account,
        region,
        deliveredAt,
        records: recs,
      };
    }
    buffers = new Map();
  };
  for (const r of records) {
    const w = Math.floor(eventSec(r) / DELIVERY_WINDOW_SEC);
    if (w > window) {
      if (buffers.size > 0) yield* flush();
      window = w;
    }
    const account = r.recipientAccountId;
    const k = `${account}|${r.awsRegion}`;
    let b = buffers.get(k);
    if (!b) {
      b = [];
      buffers.set(k, b);
    }
    b.push(r);
  }
  if (buffers.size > 0) yield* flush();
}

export interface WriteStats {
  files: number;
  records: number;
}

/**
 * Writes records as gzipped CloudTrail log files (`{"Records":[...]}`) under `dir`, in the S3
 * layout. `onFile` is called after each file (progress reporting).
 */
export function writeCloudTrailS3Layout(
  records: Iterable<CloudTrailRecord>,
  options: {
    dir: string;
    seed?: string | number;
    onFile?: (file: CloudTrailFile, stats: WriteStats) => void;
  },
): WriteStats {
  const made = new Set<string>();
  const stats: WriteStats = { files: 0, records: 0 };
  for (const file of toCloudTrailFiles(records, options)) {
    const path = join(options.dir, file.key);
    const folder = path.slice(0, path.lastIndexOf('/'));
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(path, gzipSync(JSON.stringify({ Records: file.records })));
    stats.files++;
    stats.records += file.records.length;
    options.onFile?.(file, stats);
  }
  return stats;
}
