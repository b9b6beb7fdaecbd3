import { GetCommand, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { type Alert, DAY_MS, parseAlert } from '@firstseen/core';
import { conditionalFailureItem } from './conditionalFailure';
import { type AnyDynamoClient, toDocumentClient, withoutUndefined } from './documentClient';
import { StoreRequestError, toStoreError } from './errors';

export interface DynamoAlertOutboxOptions {
  client: AnyDynamoClient;
  /** Physical name of the alerts table. */
  tableName: string;
  /** Epoch milliseconds now; injectable for tests. Default Date.now. */
  clock?: () => number;
}

/** An alert as the outbox stores it: with its key and TTL (epoch seconds); createdAt is epoch milliseconds. */
export type OutboxItem = Alert & { pk: string; expiresAt: number };

/**
 * The alerts outbox: one item per alert in the alerts table, key pk = alertId (= eventID). The
 * put is conditional on the key being absent, so a redelivery, a retry or a second consumer
 * never creates a second item and never changes the first (docs/semantics.md: "the first alert written for
 * an eventID stands"). The table's stream (NEW_IMAGE) carries new items to the dispatcher.
 */
export class DynamoAlertOutbox {
  private readonly doc;
  private readonly tableName: string;
  private readonly clock: () => number;

  constructor(options: DynamoAlertOutboxOptions) {
    this.doc = toDocumentClient(options.client);
    this.tableName = options.tableName;
    this.clock = options.clock ?? Date.now;
  }

  /** Writes the alert unless one with its alertId exists; true when this call created it. */
  async put(alert: Alert, retentionDays: number): Promise<boolean> {
    const createdAt = this.clock();
    const item: Record<string, unknown> = {
      ...withoutUndefined(alert as unknown as Record<string, unknown>),
      context: alert.context ?? {},
      pk: alert.alertId,
      createdAt,
      expiresAt: Math.floor((createdAt + retentionDays * DAY_MS) / 1000),
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (conditionalFailureItem(err) !== null) return false;
      throw toStoreError('outbox put', err);
    }
  }

  /** Reads an alert back (tests, triage), parsed with core's AlertSchema; undefined when absent. */
  async get(alertId: string): Promise<OutboxItem | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: alertId }, ConsistentRead: true }),
      );
      item = Item;
    } catch (err) {
      throw toStoreError('outbox get', err);
    }
    if (item === undefined) return undefined;
    const alert = parseAlert(item);
    if (alert === undefined) throw new StoreRequestError(`outbox item ${alertId} is not an alert`);
    return { ...alert, pk: String(item['pk']), expiresAt: Number(item['expiresAt']) };
  }

  /**
   * Every alert written at or after `sinceMs` (epoch ms, the item's createdAt), parsed with
   * core's AlertSchema; items that are not alerts are counted in `skipped`, never thrown. A
   * filtered Scan: `npm run report`, never on a hot path.
   */
  async alertsSince(sinceMs: number): Promise<{ alerts: OutboxItem[]; skipped: number }> {
    const alerts: OutboxItem[] = [];
    let skipped = 0;
    const pages = paginateScan(
      { client: this.doc },
      {
        TableName: this.tableName,
        FilterExpression: 'createdAt >= :since',
        ExpressionAttributeValues: { ':since': sinceMs },
      },
    );
    try {
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const alert = parseAlert(item);
          if (alert === undefined) skipped++;
          else alerts.push({ ...alert, pk: String(item['pk']), expiresAt: Number(item['expiresAt']) });
        }
      }
    } catch (err) {
      throw toStoreError('alerts scan', err);
    }
    return { alerts, skipped };
  }
}
