import { GetCommand, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parseAlert } from '@firstseen/core';
import {
  type AnyDynamoClient,
  conditionalFailureItem,
  toDocumentClient,
  toStoreError,
} from '@firstseen/dynamodb-store';
import type { AlertDecisionStore, Decision, Escalation, RecordOutcome, TriageAlert } from './types';

export interface DynamoAlertDecisionStoreOptions {
  client: AnyDynamoClient;
  /** Physical name of the alerts table. */
  tableName: string;
}

/**
 * Decisions on alert items in the alerts table. Updates are MODIFY records on the table's
 * stream, which the dispatcher's INSERT filter ignores. Every write is conditional on the item
 * existing and on the click (`requestKey`, kept in the string set `triageRequests`) being new;
 * a Suspicious decision also takes `escalation` conditionally, so exactly one click escalates.
 */
export class DynamoAlertDecisionStore implements AlertDecisionStore {
  private readonly doc;
  private readonly tableName: string;

  constructor(options: DynamoAlertDecisionStoreOptions) {
    this.doc = toDocumentClient(options.client);
    this.tableName = options.tableName;
  }

  /** The alert parsed with core's AlertSchema, with its triage state; undefined when absent or not an alert. */
  async get(alertId: string): Promise<TriageAlert | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: alertId }, ConsistentRead: true }),
      );
      item = Item;
    } catch (err) {
      throw toStoreError('alert get', err);
    }
    const alert = item && parseAlert(item);
    if (!item || !alert) return undefined;
    // decisions and escalation are written only by this store, in the shapes of Decision and Escalation.
    const triage: Pick<TriageAlert, 'decisions' | 'escalation'> = {};
    if (Array.isArray(item['decisions'])) triage.decisions = item['decisions'] as Decision[];
    if (item['escalation'] && typeof item['escalation'] === 'object')
      triage.escalation = item['escalation'] as Escalation;
    return { ...alert, ...triage };
  }

  async record(decision: Decision, options: { escalate: boolean }): Promise<RecordOutcome> {
    if (options.escalate) {
      const escalation: Escalation = {
        status: 'pending',
        by: decision.userId,
        at: decision.at,
        requestKey: decision.requestKey,
      };
      try {
        await this.update(decision, {
          set: ', escalation = :esc',
          condition: ' AND (attribute_not_exists(escalation) OR escalation.#status = :failed)',
          names: { '#status': 'status' },
          values: { ':esc': escalation, ':failed': 'failed' },
        });
        return { kind: 'recorded', escalate: true };
      } catch (err) {
        const old = conditionalFailureItem(err);
        if (old === null) throw toStoreError('alert decision', err);
        if (old === undefined) return { kind: 'missing' };
        if ((old.triageRequests as Set<string> | undefined)?.has(decision.requestKey)) {
          return { kind: 'duplicate' };
        }
        // Escalated by another click: still keep this decision for the audit.
        const outcome = await this.recordPlain(decision);
        return outcome.kind === 'recorded'
          ? { kind: 'already-escalated', escalation: old.escalation as Escalation }
          : outcome;
      }
    }
    return this.recordPlain(decision);
  }

  async finishEscalation(alertId: string, requestKey: string, status: 'sent' | 'failed'): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: alertId },
          UpdateExpression: 'SET escalation.#status = :s',
          ConditionExpression: 'escalation.requestKey = :rk',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':s': status, ':rk': requestKey },
        }),
      );
    } catch (err) {
      if (conditionalFailureItem(err) !== null) return;
      throw toStoreError('alert escalation', err);
    }
  }

  /** A filtered Scan of the alerts table (the audit command; not on any hot path). */
  async decisionsSince(sinceMs: number): Promise<Decision[]> {
    const out: Decision[] = [];
    const pages = paginateScan(
      { client: this.doc },
      {
        TableName: this.tableName,
        FilterExpression: 'attribute_exists(decisions)',
        ProjectionExpression: 'decisions',
      },
    );
    try {
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          for (const d of (item.decisions as Decision[] | undefined) ?? []) {
            if (Date.parse(d.at) >= sinceMs) out.push(d);
          }
        }
      }
    } catch (err) {
      throw toStoreError('decisions scan', err);
    }
    return out.sort((x, y) => x.at.localeCompare(y.at));
  }

  private async recordPlain(decision: Decision): Promise<RecordOutcome> {
    try {
      await this.update(decision, { set: '', condition: '', names: {}, values: {} });
      return { kind: 'recorded', escalate: false };
    } catch (err) {
      const old = conditionalFailureItem(err);
      if (old === null) throw toStoreError('alert decision', err);
      return old === undefined ? { kind: 'missing' } : { kind: 'duplicate' };
    }
  }

  private async update(
    decision: Decision,
    extra: { set: string; condition: string; names: Record<string, string>; values: Record<string, unknown> },
  ): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: decision.alertId },
        UpdateExpression: `SET decisions = list_append(if_not_exists(decisions, :none), :d), triage = :last${extra.set} ADD triageRequests :rks`,
        ConditionExpression: `attribute_exists(pk) AND NOT contains(triageRequests, :rk)${extra.condition}`,
        ExpressionAttributeNames: Object.keys(extra.names).length ? extra.names : undefined,
        ExpressionAttributeValues: {
          ':none': [],
          ':d': [decision],
          ':last': decision,
          ':rk': decision.requestKey,
          ':rks': new Set([decision.requestKey]),
          ...extra.values,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  }
}
