import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalFailureItem } from './conditionalFailure';
import { type AnyDynamoClient, toDocumentClient } from './documentClient';
import { toStoreError } from './errors';

/** At most one heartbeat write per (account, region) per process per this interval. */
export const HEARTBEAT_INTERVAL_MS = 5 * 60_000;

export interface HeartbeatStoreOptions {
  client: AnyDynamoClient;
  /** Physical name of the baseline table (heartbeats live there under `h#`). */
  tableName: string;
  /** Epoch milliseconds now; injectable for tests. Default Date.now. */
  clock?: () => number;
  /** Default HEARTBEAT_INTERVAL_MS. */
  intervalMs?: number;
}

export interface Heartbeat {
  account: string;
  region: string;
  /** Latest event time seen for the (account, region), epoch milliseconds; absent: never heard from. */
  lastEventTime?: number;
  /** When a detector last wrote the heartbeat (its clock), epoch milliseconds. */
  updatedAt?: number;
  /** When the watchdog first expected events from the pair, epoch milliseconds. */
  expectedSince?: number;
}

/** One (account, region) pair. */
export interface AccountRegion {
  account: string;
  region: string;
}

/** BatchGetItem accepts at most 100 keys per request. */
const BATCH_GET_KEYS = 100;
/** markExpected's requests in flight. */
const MARK_CONCURRENCY = 16;
/** Rounds of UnprocessedKeys retries before giving up (each after a short backoff). */
const MAX_UNPROCESSED_ROUNDS = 8;

/** The heartbeat item's key; parts are escaped as in level keys so no two pairs collide. */
export function heartbeatKey(account: string, region: string): string {
  return `h#${escapePart(account)}#${escapePart(region)}`;
}

function escapePart(s: string): string {
  return s.replace(/%/g, '%25').replace(/#/g, '%23');
}

/**
 * Per (account, region) liveness for the silence watchdog: item `h#<account>#<region>` in the
 * baseline table holds the latest event time seen. The watchdog reads these items by key, one
 * per expected pair, never by scanning the baseline (whose size grows with every key learned). `record` is cheap to call for every event:
 * it writes only when this process has not written that pair within the interval, and the
 * write's condition only ever moves the stored time forward (several detectors share the item).
 */
export class HeartbeatStore {
  private readonly doc;
  private readonly tableName: string;
  private readonly clock: () => number;
  private readonly intervalMs: number;
  /** Per pair: when this process last wrote it, and the latest event time it has seen. */
  private readonly pairs = new Map<string, { writtenAt?: number; latest: number }>();

  constructor(options: HeartbeatStoreOptions) {
    this.doc = toDocumentClient(options.client);
    this.tableName = options.tableName;
    this.clock = options.clock ?? Date.now;
    this.intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  }

  /**
   * Notes an event time for (account, region); writes the heartbeat when due. Returns true when
   * a request was made. A transient failure throws TransientStoreError and leaves the write due.
   */
  async record(account: string, region: string, eventTime: number): Promise<boolean> {
    const pk = heartbeatKey(account, region);
    const now = this.clock();
    const pair = this.pairs.get(pk) ?? { latest: eventTime };
    pair.latest = Math.max(pair.latest, eventTime);
    this.pairs.set(pk, pair);
    if (pair.writtenAt !== undefined && now - pair.writtenAt < this.intervalMs) return false;
    // Claimed before the await, so concurrent calls for the same pair make one request.
    const previous = pair.writtenAt;
    pair.writtenAt = now;
    try {
      await this.write(pk, account, region, pair.latest, now);
    } catch (err) {
      pair.writtenAt = previous;
      throw err;
    }
    return true;
  }

  /**
   * The heartbeats of the given pairs, read by key with BatchGetItem (100 keys a request,
   * eventually consistent: 0.5 read unit per item under 4 KB). The cost is one item per pair
   * asked, whatever the size of the baseline around them; pairs without an item are absent.
   */
  async getHeartbeats(pairs: readonly AccountRegion[]): Promise<Heartbeat[]> {
    const heartbeats: Heartbeat[] = [];
    const keys = [...new Set(pairs.map((p) => heartbeatKey(p.account, p.region)))];
    for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + BATCH_GET_KEYS).map((pk) => ({ pk }));
      for (let round = 0; pending.length > 0; round++) {
        if (round > MAX_UNPROCESSED_ROUNDS) {
          throw toStoreError('heartbeat', new Error(`${pending.length} heartbeat keys left unprocessed`));
        }
        if (round > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** round));
        const out = await this.send(() =>
          this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } })),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) heartbeats.push(toHeartbeat(item));
        pending = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return heartbeats;
  }

  /**
   * Records that the watchdog expects events from these pairs from `now` on: sets
   * `expectedSince` on each pair's heartbeat item unless it is already set (a detector's later
   * write keeps it). One UpdateItem per pair, made only the first time a pair is expected.
   */
  async markExpected(pairs: readonly AccountRegion[], now: number): Promise<void> {
    // Up to MARK_CONCURRENCY requests in flight: a new organization's first run marks every pair.
    for (let i = 0; i < pairs.length; i += MARK_CONCURRENCY) {
      await Promise.all(
        pairs.slice(i, i + MARK_CONCURRENCY).map(({ account, region }) =>
          this.send(() =>
            this.doc.send(
              new UpdateCommand({
                TableName: this.tableName,
                Key: { pk: heartbeatKey(account, region) },
                UpdateExpression:
                  'SET account = :account, #region = :region, expectedSince = if_not_exists(expectedSince, :now)',
                ExpressionAttributeNames: { '#region': 'region' },
                ExpressionAttributeValues: { ':account': account, ':region': region, ':now': now },
              }),
            ),
          ),
        ),
      );
    }
  }

  private async write(
    pk: string,
    account: string,
    region: string,
    eventTime: number,
    now: number,
  ): Promise<void> {
    try {
      await this.send(() =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk },
            UpdateExpression:
              'SET account = :account, #region = :region, lastEventTime = :time, updatedAt = :now',
            ConditionExpression: 'attribute_not_exists(lastEventTime) OR lastEventTime < :time',
            ExpressionAttributeNames: { '#region': 'region' },
            ExpressionAttributeValues: {
              ':account': account,
              ':region': region,
              ':time': eventTime,
              ':now': now,
            },
          }),
        ),
      );
    } catch (err) {
      // Another detector already recorded a later event: nothing to do.
      if (conditionalFailureItem(err) === null) throw err;
    }
  }

  private async send<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      if (conditionalFailureItem(err) !== null) throw err;
      throw toStoreError('heartbeat', err);
    }
  }
}

function toHeartbeat(item: Record<string, unknown>): Heartbeat {
  const h: Heartbeat = { account: String(item.account), region: String(item.region) };
  if (item.lastEventTime !== undefined) h.lastEventTime = Number(item.lastEventTime);
  if (item.updatedAt !== undefined) h.updatedAt = Number(item.updatedAt);
  if (item.expectedSince !== undefined) h.expectedSince = Number(item.expectedSince);
  return h;
}
