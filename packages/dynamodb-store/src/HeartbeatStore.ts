import { paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
  /** Latest event time seen for the (account, region), epoch milliseconds. */
  lastEventTime: number;
  /** When a detector last wrote the heartbeat (its clock), epoch milliseconds. */
  updatedAt: number;
}

/** The heartbeat item's key; parts are escaped as in level keys so no two pairs collide. */
export function heartbeatKey(account: string, region: string): string {
  return `h#${escapePart(account)}#${escapePart(region)}`;
}

function escapePart(s: string): string {
  return s.replace(/%/g, '%25').replace(/#/g, '%23');
}

/**
 * Per (account, region) liveness for the silence watchdog: item `h#<account>#<region>` in the
 * baseline table holds the latest event time seen. `record` is cheap to call for every event:
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
   * Every heartbeat. A Scan of the baseline table filtered on `begins_with(pk, 'h#')`: it reads
   * (and pays for) the whole table, which is acceptable for a watchdog running every few
   * minutes; a sparse index would be the next step if the table grows large.
   */
  async listHeartbeats(): Promise<Heartbeat[]> {
    const heartbeats: Heartbeat[] = [];
    const pages = paginateScan(
      { client: this.doc },
      {
        TableName: this.tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': 'h#' },
      },
    );
    await this.send(async () => {
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          heartbeats.push({
            account: String(item.account),
            region: String(item.region),
            lastEventTime: Number(item.lastEventTime),
            updatedAt: Number(item.updatedAt),
          });
        }
      }
    });
    return heartbeats;
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
