import { DAY_MS } from '@firstseen/core';

/** What a CloudTrail object key tells before the object is read. */
export interface KeyInfo {
  account?: string;
  region?: string;
  /** The date folder (UTC midnight, epoch ms). */
  day?: number;
  /** `YYYYMMDDTHHmmZ` from the file name, the delivery time; '' when the name has none. */
  delivery: string;
}

// AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>
const LAYOUT =
  /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+$/;
const DELIVERY = /_(\d{8}T\d{4}Z)_/;

/** Parses a key in CloudTrail's S3 layout; keys outside the layout give only what their name holds. */
export function parseObjectKey(key: string): KeyInfo {
  const info: KeyInfo = { delivery: DELIVERY.exec(key.slice(key.lastIndexOf('/') + 1))?.[1] ?? '' };
  const m = LAYOUT.exec(key);
  if (m) {
    info.account = m[1]!;
    info.region = m[2]!;
    const day = Date.UTC(Number(m[3]), Number(m[4]) - 1, Number(m[5]));
    if (Number.isFinite(day)) info.day = day;
  }
  return info;
}

/**
 * Digest and Insight deliveries hold no API calls, and `ground-truth.json`, which
 * `npm run generate` writes beside the CloudTrail it generates, describes the injected anomalies.
 */
export function isSkippedKey(key: string): boolean {
  return /(?:^|\/)(?:(?:CloudTrail-Digest|CloudTrail-Insight)\/|ground-truth\.json$)/.test(key);
}

const DATA_FILE = /\.(?:json|ndjson)(?:\.gz)?$/i;

/** Files the replay reads: .json, .json.gz, .ndjson, .ndjson.gz. */
export function isDataFile(name: string): boolean {
  return DATA_FILE.test(name);
}

/** The replay's filters; times are epoch ms, `to` exclusive. */
export interface ReplayFilters {
  accounts?: string[];
  regions?: string[];
  from?: number;
  to?: number;
}

/**
 * Whether an object can hold records that pass the filters, judged from its key alone. A file
 * lands in the folder of its delivery day, which can be a day after its events, so the date
 * test is widened by a day on each side.
 */
export function keyMayMatch(info: KeyInfo, filters: ReplayFilters): boolean {
  if (filters.accounts?.length && info.account !== undefined && !filters.accounts.includes(info.account)) {
    return false;
  }
  if (filters.regions?.length && info.region !== undefined && !filters.regions.includes(info.region)) {
    return false;
  }
  if (info.day !== undefined) {
    if (filters.from !== undefined && info.day + 2 * DAY_MS <= filters.from) return false;
    if (filters.to !== undefined && info.day - DAY_MS >= filters.to) return false;
  }
  return true;
}

/** the specification's replay order: delivery timestamp in the name, then key (objects without one first). */
export function compareObjectKeys(
  a: { key: string; delivery: string },
  b: { key: string; delivery: string },
): number {
  if (a.delivery !== b.delivery) return a.delivery < b.delivery ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
