import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalFailure } from '@firstseen/dynamodb-store';
import type { AlertFacts, ExplainStore } from './ExplainStore';
import { toStoreError } from './errors';
import type { IamChange, PrincipalProfile, RecentAction, Sighting } from './types';

export interface DynamoExplainStoreOptions {
  /** A DynamoDBClient (wrapped in a document client here) or a document client. */
  client: DynamoDBClient | DynamoDBDocumentClient;
  /** The baseline table: explanations keep their items there under their own key prefixes. */
  tableName: string;
  /** How long a permission change is kept (default 2 days; explanations look back 24 hours). */
  iamChangeRetentionMs?: number;
}

/** Partition keys of the explanation items in the baseline table. */
export const profilePk = (principal: string): string => `x#${principal}`;
export const prevalencePk = (action: string): string => `c#${action}`;
export const iamChangePk = (principal: string): string => `i#${principal}`;
/** The bucket's prevalence counter (principals that touched it). */
export const bucketCounterPk = (bucket: string): string => `u#${bucket}`;
/** The marker that a principal is counted for a bucket (JSON: no name can forge another pair). */
export const bucketPrincipalPk = (bucket: string, principal: string): string =>
  `v#${JSON.stringify([bucket, principal])}`;

const DAY_MS = 86_400_000;

/**
 * ExplainStore on DynamoDB: one request per method. A profile write is a conditional put on
 * the version it read (and, for a new action, a transaction with an ADD on the action's
 * counter, so the counter and the profile's recent list agree even under concurrency and
 * redelivery). Permission changes are conditional puts that only move forward in time.
 */
export class DynamoExplainStore implements ExplainStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly iamRetentionMs: number;

  constructor(options: DynamoExplainStoreOptions) {
    this.doc =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.iamRetentionMs = options.iamChangeRetentionMs ?? 2 * DAY_MS;
  }

  async getProfile(principal: string): Promise<PrincipalProfile | undefined> {
    try {
      const r = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: { pk: profilePk(principal) }, ConsistentRead: true }),
      );
      return r.Item ? profileFromItem(r.Item) : undefined;
    } catch (err) {
      throw toStoreError('getProfile', err);
    }
  }

  async putProfile(
    principal: string,
    profile: PrincipalProfile,
    expectedVersion: number | undefined,
    countAction?: string,
  ): Promise<boolean> {
    const put = {
      TableName: this.table,
      Item: { pk: profilePk(principal), ...profileToItem(profile) },
      ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'v = :v',
      ...(expectedVersion !== undefined && { ExpressionAttributeValues: { ':v': expectedVersion } }),
    };
    try {
      if (countAction === undefined) {
        await this.doc.send(new PutCommand(put));
      } else {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              {
                Update: {
                  TableName: this.table,
                  Key: { pk: prevalencePk(countAction) },
                  UpdateExpression: 'ADD n :one',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ],
          }),
        );
      }
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw toStoreError('putProfile', err);
    }
  }

  async recordIamChange(change: IamChange): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: iamChangePk(change.target),
            ...change,
            expiresAt: Math.floor((change.time + this.iamRetentionMs) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #t <= :t',
          ExpressionAttributeNames: { '#t': 'time' },
          ExpressionAttributeValues: { ':t': change.time },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return; // a later change is stored: it stands
      throw toStoreError('recordIamChange', err);
    }
  }

  async countBucketPrincipal(bucket: string, principal: string): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { pk: bucketPrincipalPk(bucket, principal) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: bucketCounterPk(bucket) },
                UpdateExpression: 'ADD n :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return; // already counted
      throw toStoreError('countBucketPrincipal', err);
    }
  }

  async readAlertFacts(principal: string, action: string, bucket?: string): Promise<AlertFacts> {
    const keys = [{ pk: prevalencePk(action) }, { pk: iamChangePk(principal) }];
    if (bucket !== undefined) keys.push({ pk: bucketCounterPk(bucket) });
    try {
      const r = await this.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: {
              Keys: keys,
              ConsistentRead: true,
            },
          },
        }),
      );
      const items = r.Responses?.[this.table] ?? [];
      const facts: AlertFacts = { prevalence: 0 };
      for (const item of items) {
        if (item['pk'] === prevalencePk(action)) facts.prevalence = Number(item['n'] ?? 0);
        else if (item['pk'] === iamChangePk(principal)) facts.iamChange = iamChangeFromItem(item);
      }
      if (bucket !== undefined) {
        const counter = items.find((item) => item['pk'] === bucketCounterPk(bucket));
        facts.bucketPrevalence = Number(counter?.['n'] ?? 0);
      }
      return facts;
    } catch (err) {
      throw toStoreError('readAlertFacts', err);
    }
  }
}

function isConditionFailure(err: unknown): boolean {
  if (isConditionalFailure(err)) return true;
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] } | null;
  if (e?.name === 'TransactionCanceledException') {
    return e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
  }
  return false;
}

function profileToItem(p: PrincipalProfile): Record<string, unknown> {
  return {
    v: p.version,
    actionCount: p.actionCount,
    recent: p.recent,
    userAgents: p.userAgents,
    networks: p.networks,
    networksSaturated: p.networksSaturated,
    regions: p.regions,
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);
const sightings = (v: unknown): Sighting[] =>
  Array.isArray(v)
    ? (v as Record<string, unknown>[])
        .filter((s) => s !== null && typeof s === 'object' && typeof s['k'] === 'string')
        .map((s) => ({ k: String(s['k']), t: Number(s['t'] ?? 0) }))
    : [];

function profileFromItem(item: Record<string, unknown>): PrincipalProfile {
  const recent: RecentAction[] = Array.isArray(item['recent'])
    ? (item['recent'] as Record<string, unknown>[]).map((r) => ({
        t: Number(r['t']),
        e: String(r['e']),
        a: String(r['a']),
        d: r['d'] === true,
        ...(typeof r['f'] === 'number' && { f: r['f'] }),
        ...(typeof r['n'] === 'number' && { n: r['n'] }),
      }))
    : [];
  return {
    version: Number(item['v'] ?? 0),
    actionCount: Number(item['actionCount'] ?? 0),
    recent,
    userAgents: sightings(item['userAgents']),
    networks: sightings(item['networks']),
    networksSaturated: item['networksSaturated'] === true,
    regions: strings(item['regions']),
  };
}

function iamChangeFromItem(item: Record<string, unknown>): IamChange {
  const change: IamChange = {
    target: String(item['target']),
    eventName: String(item['eventName']),
    eventId: String(item['eventId']),
    time: Number(item['time']),
    eventTime: String(item['eventTime']),
    actor: String(item['actor']),
  };
  for (const k of ['actorSessionName', 'actorSourceIdentity', 'policy', 'actorNewContext'] as const) {
    const v = item[k];
    if (typeof v === 'string') change[k] = v;
  }
  return change;
}
