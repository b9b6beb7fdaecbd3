import { asObject, nonEmptyString } from './recordFields';
import type { KeyLevel, LevelKey, ObservedEvent } from './types';

/** Refresh interval of each key level (docs/semantics.md "Levels and keys"). */
export const REFRESH_DAYS: Readonly<Record<KeyLevel, number>> = {
  account: 30,
  role: 1,
  region: 30,
  resource: 30,
};

export const DAY_MS = 86_400_000;

// Key parts are joined with '#'; a part that itself holds '#' or '%' is percent-encoded so
// that no attacker-chosen name (a SAML user name, say) can make two keys collide.
function part(s: string): string {
  return s.includes('#') || s.includes('%') ? s.replace(/%/g, '%25').replace(/#/g, '%23') : s;
}

// Memo of built keys, by raw principal, then action, then account / region. The key cache is a
// Map keyed by these strings: a freshly built ~60-character key must be flattened and hashed on
// every lookup (about 15% of the hot path, npm run bench), while a memoised one keeps its hash.
// The memo is looked up by the short raw parts instead and returns the very strings the cache
// already holds (in frozen LevelKey objects shared between calls; the array is fresh each call).
// Bounded: cleared whole once it holds MEMO_MAX_KEYS keys.
interface PairKeys {
  role: LevelKey;
  account: Map<string, LevelKey>;
  region: Map<string, LevelKey>;
  // The last account and region asked for: a string comparison is cheaper than hashing a fresh
  // string for the Map, and one principal's action mostly repeats in one account and region.
  lastAccount: string;
  lastAccountKey: LevelKey | undefined;
  lastRegion: string;
  lastRegionKey: LevelKey | undefined;
}

const MEMO_MAX_KEYS = 60_000;
let memo = new Map<string, Map<string, PairKeys>>();
let memoKeys = 0;

/** The partition-key prefix of each stored level: the one place that knows the key layout. */
export const KEY_PREFIXES = {
  account: 'a#',
  role: 'r#',
  region: 'g#',
  resource: 'b#',
} as const satisfies Record<KeyLevel, string>;

/** The level of a stored level key's partition key; undefined for any other item (sightings, ...). */
export function levelOfPk(pk: string): KeyLevel | undefined {
  for (const level of Object.keys(KEY_PREFIXES) as KeyLevel[]) {
    if (pk.startsWith(KEY_PREFIXES[level])) return level;
  }
  return undefined;
}

function levelKey(level: KeyLevel, pk: string): LevelKey {
  memoKeys++;
  return Object.freeze({ level, pk });
}

function memoised(principal: string, action: string): PairKeys {
  // Checked on every call (a call adds at most three keys), so the bound holds however the keys
  // spread over principals, actions, accounts and regions.
  if (memoKeys >= MEMO_MAX_KEYS) {
    memo = new Map();
    memoKeys = 0;
  }
  let byAction = memo.get(principal);
  if (byAction === undefined) {
    byAction = new Map();
    memo.set(principal, byAction);
  }
  let pair = byAction.get(action);
  if (pair === undefined) {
    const role = levelKey('role', `${KEY_PREFIXES.role}${part(principal)}#${part(action)}`);
    pair = {
      role,
      account: new Map(),
      region: new Map(),
      lastAccount: '',
      lastAccountKey: undefined,
      lastRegion: '',
      lastRegionKey: undefined,
    };
    byAction.set(action, pair);
  }
  return pair;
}

/** The three stored level keys of an event, in docs/semantics.md's order: account, role, region. */
export function levelKeys(e: Pick<ObservedEvent, 'account' | 'principal' | 'action' | 'region'>): LevelKey[] {
  const pair = memoised(e.principal, e.action);
  let account = pair.lastAccount === e.account ? pair.lastAccountKey : pair.account.get(e.account);
  if (account === undefined) {
    account = levelKey(
      'account',
      `${KEY_PREFIXES.account}${part(e.account)}#${part(e.principal)}#${part(e.action)}`,
    );
    pair.account.set(e.account, account);
  }
  pair.lastAccount = e.account;
  pair.lastAccountKey = account;
  let region = pair.lastRegion === e.region ? pair.lastRegionKey : pair.region.get(e.region);
  if (region === undefined) {
    region = levelKey(
      'region',
      `${KEY_PREFIXES.region}${part(e.principal)}#${part(e.region)}#${part(e.action)}`,
    );
    pair.region.set(e.region, region);
  }
  pair.lastRegion = e.region;
  pair.lastRegionKey = region;
  return [account, pair.role, region];
}

/** The partition key of a principal's first-sighting item. */
export function principalKey(principal: string): string {
  return `p#${part(principal)}`;
}

/**
 * Longest bucket name keyed by the `resource` level. A real bucket name has at most 63
 * characters; the record is attacker-controlled, and an unbounded name would make a partition
 * key past DynamoDB's 2,048-byte limit (a write the table refuses, failing the whole batch).
 * A longer name gets no `resource` key (the event's other levels still apply).
 */
export const MAX_BUCKET_NAME_LENGTH = 255;

/**
 * The bucket the `resource` level keys on: `requestParameters.bucketName` of an
 * `s3.amazonaws.com` event (management and data events alike) when it is a non-empty string
 * of at most MAX_BUCKET_NAME_LENGTH characters; undefined otherwise.
 */
export function bucketOf(e: Pick<ObservedEvent, 'eventSource' | 'record'>): string | undefined {
  if (e.eventSource !== 's3.amazonaws.com') return undefined;
  const bucket = nonEmptyString(asObject(e.record['requestParameters'])?.['bucketName']);
  return bucket !== undefined && bucket.length <= MAX_BUCKET_NAME_LENGTH ? bucket : undefined;
}

// Memo of resource keys by principal, then bucket (same reason and bound as the memo above).
let bucketMemo = new Map<string, Map<string, LevelKey>>();
let bucketMemoKeys = 0;

/** The `resource` level key (principal, `s3`, bucket); bucket names are global, so no account. */
export function resourceKey(principal: string, bucket: string): LevelKey {
  if (bucketMemoKeys >= MEMO_MAX_KEYS) {
    bucketMemo = new Map();
    bucketMemoKeys = 0;
  }
  let byBucket = bucketMemo.get(principal);
  if (byBucket === undefined) {
    byBucket = new Map();
    bucketMemo.set(principal, byBucket);
  }
  let key = byBucket.get(bucket);
  if (key === undefined) {
    key = Object.freeze({
      level: 'resource' as const,
      pk: `${KEY_PREFIXES.resource}${part(principal)}#s3#${part(bucket)}`,
    });
    bucketMemoKeys++;
    byBucket.set(bucket, key);
  }
  return key;
}
