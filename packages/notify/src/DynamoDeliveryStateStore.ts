import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalFailure } from '@firstseen/dynamodb-store';
import { parseAlertItem } from './alertRecord';
import type { DeliveryStateStore } from './DeliveryStateStore';
import { DeliveryStateError } from './errors';
import type { AlertRecord, DeliveryMap, DeliveryState } from './types';

/**
 * Delivery state on the alerts table: `delivery.<destination> = { status, attempts,
 * deliveredAt, lastError, via, updatedAt }` on the item whose pk is the alert id.
 */
export class DynamoDeliveryStateStore implements DeliveryStateStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getDelivery(alertIds: readonly string[]): Promise<Map<string, DeliveryMap>> {
    const out = new Map<string, DeliveryMap>(alertIds.map((id) => [id, {}]));
    const unique = [...new Set(alertIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((pk) => ({ pk }));
      for (let round = 0; keys && keys.length > 0 && round < 8; round++) {
        let res: BatchGetCommandOutput;
        try {
          res = await this.doc.send(
            new BatchGetCommand({
              RequestItems: {
                [this.tableName]: {
                  Keys: keys,
                  ConsistentRead: true,
                  ProjectionExpression: 'pk, #d',
                  ExpressionAttributeNames: { '#d': 'delivery' },
                },
              },
            }),
          );
        } catch (err) {
          throw new DeliveryStateError('reading delivery state failed', { cause: err });
        }
        for (const item of res.Responses?.[this.tableName] ?? []) {
          const d = item['delivery'];
          out.set(String(item['pk']), (d && typeof d === 'object' ? d : {}) as DeliveryMap);
        }
        keys = res.UnprocessedKeys?.[this.tableName]?.Keys;
      }
      if (keys && keys.length > 0)
        throw new DeliveryStateError('reading delivery state: keys left unprocessed');
    }
    return out;
  }

  async putState(alertId: string, destination: string, state: DeliveryState): Promise<void> {
    const clean = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined));
    try {
      // A nested SET needs the map to exist; create it only when absent.
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: alertId },
          UpdateExpression: 'SET #d = :empty',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#d)',
          ExpressionAttributeNames: { '#d': 'delivery' },
          ExpressionAttributeValues: { ':empty': {} },
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) {
        throw new DeliveryStateError(`writing delivery state for ${destination} failed`, { cause: err });
      }
    }
    const delivered = state.status === 'delivered';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: alertId },
          UpdateExpression: 'SET #d.#dest = :s',
          // Never let a failure overwrite a delivery (a slower duplicate invocation).
          ConditionExpression: delivered
            ? 'attribute_exists(pk)'
            : 'attribute_exists(pk) AND (attribute_not_exists(#d.#dest) OR #d.#dest.#st <> :delivered)',
          ExpressionAttributeNames: delivered
            ? { '#d': 'delivery', '#dest': destination }
            : { '#d': 'delivery', '#dest': destination, '#st': 'status' },
          ExpressionAttributeValues: delivered ? { ':s': clean } : { ':s': clean, ':delivered': 'delivered' },
        }),
      );
    } catch (err) {
      if (isConditionalFailure(err) && !delivered) return;
      throw new DeliveryStateError(`writing delivery state for ${destination} failed`, { cause: err });
    }
  }

  async *scanAlerts(): AsyncIterable<{ alert: AlertRecord; delivery: DeliveryMap }> {
    const pages = paginateScan({ client: this.doc }, { TableName: this.tableName, ConsistentRead: true });
    for (;;) {
      // Only the page request is wrapped: an error thrown into the generator by its consumer
      // must not be reported as a failed scan.
      let next: IteratorResult<{ Items?: Record<string, unknown>[] }>;
      try {
        next = await pages.next();
      } catch (err) {
        throw new DeliveryStateError('scanning the alerts table failed', { cause: err });
      }
      if (next.done) return;
      for (const item of next.value.Items ?? []) {
        const parsed = parseAlertItem(item);
        if (parsed) yield parsed;
      }
    }
  }
}
