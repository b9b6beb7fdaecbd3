import { GetCommand, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Suppression, SuppressionStore } from '@firstseen/core';
import { isConditionalFailure } from './conditionalFailure';
import { type AnyDynamoClient, toDocumentClient } from './documentClient';
import { toStoreError } from './errors';

/** Key prefix of suppression items in the baseline table. */
export const SUPPRESSION_PREFIX = 's#';

export interface DynamoSuppressionStoreOptions {
  client: AnyDynamoClient;
  /** Physical name of the baseline table (suppressions live there under `s#`). */
  tableName: string;
}

/** `s#<principal>`, escaped as level keys are. */
export function suppressionKey(principal: string): string {
  return `${SUPPRESSION_PREFIX}${principal.replace(/%/g, '%25').replace(/#/g, '%23')}`;
}

const RULE_PREFIX = 'rule_';

function toSuppression(principal: string, raw: unknown): Suppression | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || typeof r.expiresAt !== 'number') return undefined;
  const s: Suppression = {
    principal,
    id: r.id,
    expiresAt: r.expiresAt,
    createdAt: Number(r.createdAt ?? 0),
    createdBy: String(r.createdBy ?? ''),
    reason: (r.reason as Suppression['reason']) ?? 'manual',
  };
  for (const k of ['action', 'account', 'region', 'alertId'] as const) {
    if (typeof r[k] === 'string') s[k] = r[k];
  }
  return s;
}

/**
 * Suppressions in the baseline table: ONE item per principal (`s#<principal>`), one attribute
 * `rule_<id>` per suppression, so the detector answers "is this alert suppressed" with a single
 * GetItem per principal (cached). The item's `expiresAt` (TTL, epoch seconds) is the latest
 * expiry of its rules, moved only forward; each rule carries its own expiry, which readers check.
 */
export class DynamoSuppressionStore implements SuppressionStore {
  private readonly doc;
  private readonly tableName: string;

  constructor(options: DynamoSuppressionStoreOptions) {
    this.doc = toDocumentClient(options.client);
    this.tableName = options.tableName;
  }

  async put(s: Suppression): Promise<void> {
    const rule: Record<string, unknown> = {
      id: s.id,
      expiresAt: s.expiresAt,
      createdAt: s.createdAt,
      createdBy: s.createdBy,
      reason: s.reason,
    };
    for (const k of ['action', 'account', 'region', 'alertId'] as const)
      if (s[k] !== undefined) rule[k] = s[k];
    const key = { pk: suppressionKey(s.principal) };
    const names = { '#r': `${RULE_PREFIX}${s.id}` };
    const ttl = Math.ceil(s.expiresAt / 1000);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        // Moves the item's TTL forward when this rule outlives the others.
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET #r = :rule, principal = :p, expiresAt = :ttl',
            ConditionExpression: 'attribute_not_exists(expiresAt) OR expiresAt <= :ttl',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':rule': rule, ':p': s.principal, ':ttl': ttl },
          }),
        );
        return;
      } catch (err) {
        if (!isConditionalFailure(err)) throw toStoreError('suppression put', err);
      }
      try {
        // Another rule lives longer: keep the item's TTL, add the rule.
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET #r = :rule',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':rule': rule },
          }),
        );
        return;
      } catch (err) {
        // The item expired in between: start over.
        if (!isConditionalFailure(err)) throw toStoreError('suppression put', err);
      }
    }
    throw toStoreError('suppression put', new Error('the suppression item kept changing'));
  }

  async remove(principal: string, id: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: suppressionKey(principal) },
          UpdateExpression: 'REMOVE #r',
          ConditionExpression: 'attribute_exists(#r)',
          ExpressionAttributeNames: { '#r': `${RULE_PREFIX}${id}` },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw toStoreError('suppression remove', err);
    }
  }

  async forPrincipal(principal: string): Promise<Suppression[]> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: suppressionKey(principal) } }),
      );
      return Item ? rulesOf(Item) : [];
    } catch (err) {
      throw toStoreError('suppression get', err);
    }
  }

  /** Every suppression: a filtered Scan of the baseline table (the triage script only). */
  async list(): Promise<Suppression[]> {
    const out: Suppression[] = [];
    const pages = paginateScan(
      { client: this.doc },
      {
        TableName: this.tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': SUPPRESSION_PREFIX },
      },
    );
    try {
      for await (const page of pages) {
        for (const item of page.Items ?? []) out.push(...rulesOf(item));
      }
    } catch (err) {
      throw toStoreError('suppression scan', err);
    }
    return out;
  }
}

function rulesOf(item: Record<string, unknown>): Suppression[] {
  const principal = String(item.principal ?? '');
  return Object.entries(item)
    .filter(([k]) => k.startsWith(RULE_PREFIX))
    .map(([, v]) => toSuppression(principal, v))
    .filter((s): s is Suppression => s !== undefined);
}
