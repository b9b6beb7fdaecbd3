import { GetCommand, PutCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  type BaselineStore,
  type CasResult,
  type ClaimRequest,
  type ClaimResult,
  type KeyState,
  type LevelKey,
  principalKey,
} from '@firstseen/core';
import pLimit from 'p-limit';
import { conditionalFailureItem } from './conditionalFailure';
import { type AnyDynamoClient, toDocumentClient } from './documentClient';
import { toStoreError } from './errors';
import { EXPIRED_CONDITION, expiry, expiryValues, isExpired, keyItem, keyState } from './keyItem';

export interface DynamoBaselineStoreOptions {
  client: AnyDynamoClient;
  /** Physical name of the baseline table. */
  tableName: string;
  /** Most requests in flight at once from this store; default 32. */
  concurrency?: number;
}

/** Outcome of one conditional write: the item after it, or (condition failed) the item before. */
type Conditional =
  | { applied: true; item: Record<string, unknown> }
  | { applied: false; item: Record<string, unknown> | undefined };

/**
 * The BaselineStore in DynamoDB. Every transition is ONE conditional write whose failure
 * returns the current item (ReturnValuesOnConditionCheckFailure ALL_OLD), so no transition
 * needs a second read; semantics are those of InMemoryBaselineStore, expiry included (see
 * keyItem.ts). A failed condition is an outcome, never an error; throttling, time-outs and
 * network failures (after the SDK's own retries) throw TransientStoreError, anything else
 * StoreRequestError.
 */
export class DynamoBaselineStore implements BaselineStore {
  private readonly doc;
  private readonly tableName: string;
  private readonly limit;

  constructor(options: DynamoBaselineStoreOptions) {
    this.doc = toDocumentClient(options.client);
    this.tableName = options.tableName;
    this.limit = pLimit(options.concurrency ?? 32);
  }

  async claim(req: ClaimRequest): Promise<ClaimResult> {
    const state: KeyState = {
      lastSeen: req.time,
      firstEventId: req.eventId,
      succeeded: !req.failed,
      source: req.source,
    };
    if (!req.failed) state.firstSuccessEventId = req.eventId;
    const outcome = await this.put('claim', keyItem(req.key.pk, state, req.retentionMs), req.time);
    if (outcome.applied) return { claimed: true, state };
    // The condition can only fail on an existing item.
    return { claimed: false, state: keyState(outcome.item ?? {}) };
  }

  async markSucceeded(
    key: LevelKey,
    eventId: string,
    _time: number,
    _retentionMs: number,
  ): Promise<CasResult> {
    return this.cas('markSucceeded', {
      Key: { pk: key.pk },
      UpdateExpression: 'SET succeeded = :true, firstSuccessEventId = :eventId',
      ConditionExpression: 'succeeded = :false',
      ExpressionAttributeValues: { ':true': true, ':false': false, ':eventId': eventId },
    });
  }

  async windowReturn(
    key: LevelKey,
    expectedLastSeen: number,
    eventId: string,
    time: number,
    retentionMs: number,
  ): Promise<CasResult> {
    const { expiresAt, expiresAtMs } = expiry(time, retentionMs);
    return this.cas('windowReturn', {
      Key: { pk: key.pk },
      UpdateExpression:
        'SET lastSeen = :time, windowEventId = :eventId, windowPreviousSeen = :expected, expiresAt = :expiresAt, expiresAtMs = :expiresAtMs',
      ConditionExpression: 'lastSeen = :expected',
      ExpressionAttributeValues: {
        ':time': time,
        ':eventId': eventId,
        ':expected': expectedLastSeen,
        ':expiresAt': expiresAt,
        ':expiresAtMs': expiresAtMs,
      },
    });
  }

  async refresh(key: LevelKey, time: number, retentionMs: number, intervalMs: number): Promise<CasResult> {
    const { expiresAt, expiresAtMs } = expiry(time, retentionMs);
    // time - lastSeen >= intervalMs  <=>  lastSeen <= time - intervalMs; `lastSeen < :time` keeps
    // "never backwards" true even for a zero interval.
    return this.cas('refresh', {
      Key: { pk: key.pk },
      UpdateExpression: 'SET lastSeen = :time, expiresAt = :expiresAt, expiresAtMs = :expiresAtMs',
      ConditionExpression: 'lastSeen < :time AND lastSeen <= :cutoff',
      ExpressionAttributeValues: {
        ':time': time,
        ':cutoff': time - intervalMs,
        ':expiresAt': expiresAt,
        ':expiresAtMs': expiresAtMs,
      },
    });
  }

  async recordSighting(principal: string, time: number): Promise<number> {
    const outcome = await this.update('recordSighting', {
      Key: { pk: principalKey(principal) },
      UpdateExpression: 'SET firstSeen = :time',
      ConditionExpression: 'attribute_not_exists(firstSeen) OR firstSeen > :time',
      ExpressionAttributeValues: { ':time': time },
    });
    return outcome.applied ? time : Number(outcome.item?.firstSeen);
  }

  /**
   * Up to three conditional writes (seeding is offline and not a race against itself; each
   * write alone is still safe against the live detector): put when absent or expired at the
   * seeded lastSeen; otherwise move lastSeen forward; then set succeeded if the seed says so.
   */
  async seedKey(key: LevelKey, state: KeyState, retentionMs: number): Promise<void> {
    const seeded: KeyState = { ...state, source: 'seed' };
    const put = await this.put('seedKey', keyItem(key.pk, seeded, retentionMs), state.lastSeen);
    if (put.applied || put.item === undefined) return;
    const existing = keyState(put.item);
    if (existing.lastSeen < state.lastSeen) {
      const { expiresAt, expiresAtMs } = expiry(state.lastSeen, retentionMs);
      await this.update('seedKey', {
        Key: { pk: key.pk },
        UpdateExpression: 'SET lastSeen = :time, expiresAt = :expiresAt, expiresAtMs = :expiresAtMs',
        ConditionExpression: 'lastSeen < :time',
        ExpressionAttributeValues: {
          ':time': state.lastSeen,
          ':expiresAt': expiresAt,
          ':expiresAtMs': expiresAtMs,
        },
      });
    }
    if (state.succeeded && !existing.succeeded) {
      const set =
        state.firstSuccessEventId !== undefined
          ? 'SET succeeded = :true, firstSuccessEventId = :eventId'
          : 'SET succeeded = :true';
      const values: Record<string, unknown> = { ':true': true, ':false': false };
      if (state.firstSuccessEventId !== undefined) values[':eventId'] = state.firstSuccessEventId;
      await this.update('seedKey', {
        Key: { pk: key.pk },
        UpdateExpression: set,
        ConditionExpression: 'succeeded = :false',
        ExpressionAttributeValues: values,
      });
    }
  }

  async getKey(key: LevelKey, now?: number): Promise<KeyState | undefined> {
    const { Item } = await this.send('getKey', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: key.pk }, ConsistentRead: true })),
    );
    if (Item === undefined || (now !== undefined && isExpired(Item, now))) return undefined;
    return keyState(Item);
  }

  /** PutItem when the key is absent or expired at `t`. */
  private async put(operation: string, item: Record<string, unknown>, t: number): Promise<Conditional> {
    try {
      await this.send(operation, () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: `attribute_not_exists(pk) OR ${EXPIRED_CONDITION}`,
            ExpressionAttributeValues: expiryValues(t),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { applied: true, item };
    } catch (err) {
      return this.conditionalOutcome(err);
    }
  }

  private async cas(operation: string, input: Omit<UpdateCommandInput, 'TableName'>): Promise<CasResult> {
    // Conditions on attributes of the key item fail on a missing item, so an update never
    // creates a key.
    const outcome = await this.update(operation, input);
    if (outcome.applied) return { applied: true, state: keyState(outcome.item) };
    return { applied: false, state: outcome.item && keyState(outcome.item) };
  }

  private async update(
    operation: string,
    input: Omit<UpdateCommandInput, 'TableName'>,
  ): Promise<Conditional> {
    try {
      const { Attributes } = await this.send(operation, () =>
        this.doc.send(
          new UpdateCommand({
            ...input,
            TableName: this.tableName,
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { applied: true, item: Attributes ?? {} };
    } catch (err) {
      return this.conditionalOutcome(err);
    }
  }

  private conditionalOutcome(err: unknown): Conditional {
    const item = conditionalFailureItem(err);
    if (item === null) throw err;
    return { applied: false, item };
  }

  /** Runs one request under the concurrency limit, mapping SDK failures to store errors. */
  private async send<T>(operation: string, request: () => Promise<T>): Promise<T> {
    return this.limit(async () => {
      try {
        return await request();
      } catch (err) {
        if (conditionalFailureItem(err) !== null) throw err;
        throw toStoreError(operation, err);
      }
    });
  }
}
