import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AnyDynamoClient,
  isConditionalFailure,
  toDocumentClient,
  toStoreError,
} from '@firstseen/dynamodb-store';
import { REPLAY_KEY_MARGIN_MS, REQUEST_KEY_PREFIX } from './constants';
import type { ReplayGuard } from './types';

/** Request keys in a Map (tests, the local server). */
export class InMemoryReplayGuard implements ReplayGuard {
  private readonly keys = new Map<string, number>();
  constructor(private readonly clock: () => number = Date.now) {}

  async claim(key: string, acceptedUntilMs: number): Promise<boolean> {
    const now = this.clock();
    const heldUntil = this.keys.get(key);
    if (heldUntil !== undefined && now <= heldUntil) return false;
    this.keys.set(key, acceptedUntilMs + REPLAY_KEY_MARGIN_MS);
    return true;
  }
}

export interface DynamoReplayGuardOptions {
  client: AnyDynamoClient;
  /** Physical name of the baseline table (request keys live there under `t#`, with TTL). */
  tableName: string;
  clock?: () => number;
}

/**
 * Request keys in the baseline table: a conditional put of `t#<key>` succeeds once. DynamoDB
 * deletes expired items lazily, so an expired key left in the table may be claimed again.
 */
export class DynamoReplayGuard implements ReplayGuard {
  private readonly doc;
  private readonly tableName: string;
  private readonly clock: () => number;

  constructor(options: DynamoReplayGuardOptions) {
    this.doc = toDocumentClient(options.client);
    this.tableName = options.tableName;
    this.clock = options.clock ?? Date.now;
  }

  async claim(key: string, acceptedUntilMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          // TTL deletes an item only after expiresAt, which lies past the window by the margin.
          Item: {
            pk: `${REQUEST_KEY_PREFIX}${key}`,
            expiresAt: Math.ceil((acceptedUntilMs + REPLAY_KEY_MARGIN_MS) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(this.clock() / 1000) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw toStoreError('request key put', err);
    }
  }
}
