import { GetCommand, PutCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  type BaselineStore,
  type CasResult,
  type ClaimRequest,
  type ClaimResult,
  type KeyState,
  type LevelKey,
  mergeSeedState,
  principalKey,
  seedStateChanged,
} from '@firstseen/core';
import pLimit from 'p-limit';
import { conditionalFailureItem } from './conditionalFailure';
import { type AnyDynamoClient, toDocumentClient } from './documentClient';
import { toStoreError } from './errors';
import { EXPIRED_CONDITION, expiry, expiryValues, isExpired, keyItem, keyState } from './keyItem';
import { writeUnits } from './writeUnits';

export interface DynamoBaselineStoreOptions {
  client: AnyDynamoClient;
  /** Physical name of the baseline table. */
  tableName: string;
  /** Most requests in flight at once from this store; default 32. */
  concurrency?: number;
  /**
   * Paces every write request this store sends (a seed's WriteRateGuard): each request waits
   * for its write units before it is sent. Unset (live detection): writes are not paced.
   */
  writePacer?: WritePacer;
}

/** Paces write requests by the write capacity units they consume (see writeUnits). */
export interface WritePacer {
  /** Sends `write` when `writeUnits` more are allowed (retrying it while throttled). */
  run<T>(write: () => Promise<T>, writeUnits: number): Promise<T>;
  /** Charges units a request consumed beyond those `run` charged before sending it. */
  charge(writeUnits: number): void;
}

/** Rounds of a seed merge before giving up (each lost round means another writer succeeded). */
const SEED_ATTEMPTS = 50;

/** Attributes `mergeSeedState` reads and writes. */
const SEED_FIELDS = [
  'lastSeen',
  'firstEventId',
  'firstTime',
  'succeeded',
  'firstSuccessEventId',
  'firstSuccessTime',
  'source',
] as const;

/**
 * The UpdateItem that turns `existing` into `merged`, on condition that every attribute the
 * merge read still has its value in `existing` (absent ones still absent).
 */
function mergeUpdate(
  pk: string,
  existing: KeyState,
  merged: KeyState,
  retentionMs: number,
): Omit<UpdateCommandInput, 'TableName'> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions: string[] = [];
  const sets: string[] = [];
  const removes: string[] = [];
  SEED_FIELDS.forEach((field, i) => {
    names[`#f${i}`] = field;
    const before = existing[field];
    const after = merged[field];
    if (before === undefined) conditions.push(`attribute_not_exists(#f${i})`);
    else {
      values[`:o${i}`] = before;
      conditions.push(`#f${i} = :o${i}`);
    }
    if (after === before) return;
    if (after === undefined) removes.push(`#f${i}`);
    else {
      values[`:n${i}`] = after;
      sets.push(`#f${i} = :n${i}`);
    }
  });
  const { expiresAt, expiresAtMs } = expiry(merged.lastSeen, retentionMs);
  values[':expiresAt'] = expiresAt;
  values[':expiresAtMs'] = expiresAtMs;
  sets.push('expiresAt = :expiresAt', 'expiresAtMs = :expiresAtMs');
  return {
    Key: { pk },
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
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
  private readonly pacer: WritePacer | undefined;

  constructor(options: DynamoBaselineStoreOptions) {
    this.doc = toDocumentClient(options.client);
    this.tableName = options.tableName;
    this.limit = pLimit(options.concurrency ?? 32);
    this.pacer = options.writePacer;
  }

  async claim(req: ClaimRequest): Promise<ClaimResult> {
    const state: KeyState = {
      lastSeen: req.time,
      firstEventId: req.eventId,
      succeeded: !req.failed,
      source: req.source,
      firstTime: req.time,
    };
    if (!req.failed) {
      state.firstSuccessEventId = req.eventId;
      state.firstSuccessTime = req.time;
    }
    const outcome = await this.put('claim', keyItem(req.key.pk, state, req.retentionMs), req.time);
    if (outcome.applied) return { claimed: true, state };
    // The condition can only fail on an existing item.
    return { claimed: false, state: keyState(outcome.item ?? {}) };
  }

  async markSucceeded(
    key: LevelKey,
    eventId: string,
    time: number,
    _retentionMs: number,
  ): Promise<CasResult> {
    return this.cas('markSucceeded', {
      Key: { pk: key.pk },
      UpdateExpression: 'SET succeeded = :true, firstSuccessEventId = :eventId, firstSuccessTime = :time',
      ConditionExpression: 'succeeded = :false',
      ExpressionAttributeValues: { ':true': true, ':false': false, ':eventId': eventId, ':time': time },
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
    const pk = principalKey(principal);
    const outcome = await this.update(
      'recordSighting',
      {
        Key: { pk },
        UpdateExpression: 'SET firstSeen = :time',
        ConditionExpression: 'attribute_not_exists(firstSeen) OR firstSeen > :time',
        ExpressionAttributeValues: { ':time': time },
      },
      () => writeUnits({ pk, firstSeen: time }),
    );
    return outcome.applied ? time : Number(outcome.item?.firstSeen);
  }

  /**
   * docs/semantics.md "Sharded seed", as an optimistic loop of conditional writes: put when
   * absent or expired at the seeded lastSeen; otherwise compute `mergeSeedState` from the item
   * the failed condition returned and write it on condition that every attribute the merge read
   * is unchanged. A lost race returns the newer item, which is merged again, so concurrent
   * shards (and the live detector) never overwrite each other; an unchanged merge writes nothing.
   */
  async seedKey(key: LevelKey, state: KeyState, retentionMs: number): Promise<void> {
    const seeded: KeyState = { ...state, source: 'seed' };
    let item: Record<string, unknown> | undefined;
    for (let attempt = 0; ; attempt++) {
      if (attempt >= SEED_ATTEMPTS) {
        throw toStoreError('seedKey', new Error(`${key.pk}: ${SEED_ATTEMPTS} merges lost their race`));
      }
      if (item === undefined || isExpired(item, state.lastSeen)) {
        const put = await this.put('seedKey', keyItem(key.pk, seeded, retentionMs), state.lastSeen);
        if (put.applied) return;
        item = put.item;
        continue;
      }
      const existing = keyState(item);
      const merged = mergeSeedState(existing, seeded);
      if (!seedStateChanged(existing, merged)) return;
      const outcome = await this.update('seedKey', mergeUpdate(key.pk, existing, merged, retentionMs), () =>
        writeUnits(item, keyItem(key.pk, merged, retentionMs)),
      );
      if (outcome.applied) return;
      item = outcome.item;
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
    // Sized only for a pacer: live claims do not pay for it.
    const units = this.pacer ? writeUnits(item) : 0;
    try {
      await this.write(operation, units, () =>
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
      return this.conditionalOutcome(err, units);
    }
  }

  private async cas(operation: string, input: Omit<UpdateCommandInput, 'TableName'>): Promise<CasResult> {
    // Conditions on attributes of the key item fail on a missing item, so an update never
    // creates a key.
    const outcome = await this.update(operation, input);
    if (outcome.applied) return { applied: true, state: keyState(outcome.item) };
    return { applied: false, state: outcome.item && keyState(outcome.item) };
  }

  /**
   * A conditional UpdateItem; `expected` gives what it is expected to consume (the larger of the
   * item before and after, when known; see writeUnits), charged to the pacer before it is sent.
   */
  private async update(
    operation: string,
    input: Omit<UpdateCommandInput, 'TableName'>,
    expected: () => number = () => 1,
  ): Promise<Conditional> {
    const units = this.pacer ? expected() : 0;
    try {
      const { Attributes } = await this.write(operation, units, () =>
        this.doc.send(
          new UpdateCommand({
            ...input,
            TableName: this.tableName,
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      const item = Attributes ?? {};
      if (this.pacer) this.pacer.charge(writeUnits(item) - units);
      return { applied: true, item };
    } catch (err) {
      return this.conditionalOutcome(err, units);
    }
  }

  /**
   * The outcome of a failed condition (anything else is rethrown). The failed write still
   * consumed the units of the item it found, charged beyond the `charged` ones paid up front.
   */
  private conditionalOutcome(err: unknown, charged: number): Conditional {
    const item = conditionalFailureItem(err);
    if (item === null) throw err;
    if (this.pacer) this.pacer.charge(writeUnits(item) - charged);
    return { applied: false, item };
  }

  /** Sends one write request, paced by its write units when the store has a pacer. */
  private write<T>(operation: string, units: number, request: () => Promise<T>): Promise<T> {
    const send = () => this.send(operation, request);
    return this.pacer ? this.pacer.run(send, units) : send();
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
