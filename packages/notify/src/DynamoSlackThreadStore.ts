import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalFailure } from '@firstseen/dynamodb-store';
import { DeliveryStateError } from './errors';
import type { SlackMessage } from './renderSlack';
import type { SlackThread, SlackThreadStore, ThreadAdditions } from './SlackThreadStore';

/** Thread items share the alerts table with the alerts; their keys never look like an event id. */
export const SLACK_THREAD_KEY_PREFIX = 'slack-thread#';

export function slackThreadKey(destination: string, principal: string): string {
  return `${SLACK_THREAD_KEY_PREFIX}${destination}#${principal}`;
}

function strings(value: unknown): string[] {
  if (value instanceof Set || Array.isArray(value)) return [...value].filter((v) => typeof v === 'string');
  return [];
}

function parseThread(item: Record<string, unknown>): SlackThread | undefined {
  const { destination, principal, claimId, claimedAt, openedAt } = item;
  if (
    typeof destination !== 'string' ||
    typeof principal !== 'string' ||
    typeof claimId !== 'string' ||
    typeof claimedAt !== 'number' ||
    typeof openedAt !== 'number'
  ) {
    return undefined;
  }
  const thread: SlackThread = {
    destination,
    principal,
    claimId,
    claimedAt,
    openedAt,
    alertIds: strings(item['alertIds']),
    levels: strings(item['levels']),
    severities: strings(item['severities']),
    eventTimes: strings(item['eventTimes']),
  };
  if (typeof item['ts'] === 'string' && typeof item['channel'] === 'string') {
    thread.parent = { ts: item['ts'], channel: item['channel'] };
  }
  if (typeof item['parentMessage'] === 'string') {
    try {
      thread.parentMessage = JSON.parse(item['parentMessage']) as SlackMessage;
    } catch {
      // an unreadable copy only costs the summary edit its original content
    }
  }
  return thread;
}

/** `ADD` clauses for the non-empty sets of `additions` (DynamoDB rejects empty sets). */
function addClauses(additions: ThreadAdditions): {
  clauses: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const name of ['alertIds', 'levels', 'severities', 'eventTimes'] as const) {
    const set = new Set(additions[name]);
    if (set.size === 0) continue;
    clauses.push(`#${name} :${name}`);
    names[`#${name}`] = name;
    values[`:${name}`] = set;
  }
  return { clauses, names, values };
}

/**
 * Slack threads on the alerts table: one item per (destination, principal) under
 * `slack-thread#<destination>#<principal>`, expiring (TTL) a day after its window. The dispatcher
 * ignores these items on the table's stream.
 */
export class DynamoSlackThreadStore implements SlackThreadStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(destination: string, principal: string): Promise<SlackThread | undefined> {
    try {
      const res = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: slackThreadKey(destination, principal) },
          ConsistentRead: true,
        }),
      );
      return res.Item ? parseThread(res.Item) : undefined;
    } catch (err) {
      throw new DeliveryStateError('reading the slack thread failed', { cause: err });
    }
  }

  async claim(
    destination: string,
    principal: string,
    claim: { claimId: string; now: number; expiresAtSeconds: number; openedAt?: number },
    previousClaimId: string | undefined,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: slackThreadKey(destination, principal),
            kind: 'slack-thread',
            destination,
            principal,
            claimId: claim.claimId,
            claimedAt: claim.now,
            openedAt: claim.openedAt ?? claim.now,
            expiresAt: claim.expiresAtSeconds,
          },
          ...(previousClaimId === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'claimId = :previous',
                ExpressionAttributeValues: { ':previous': previousClaimId },
              }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw new DeliveryStateError('claiming a slack thread failed', { cause: err });
    }
  }

  async recordParent(
    destination: string,
    principal: string,
    claimId: string,
    parent: { ts: string; channel: string },
    parentMessage: SlackMessage,
    additions: ThreadAdditions,
  ): Promise<boolean> {
    const add = addClauses(additions);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: slackThreadKey(destination, principal) },
          UpdateExpression: `SET #ts = :ts, #channel = :channel, parentMessage = :parent${
            add.clauses.length > 0 ? ` ADD ${add.clauses.join(', ')}` : ''
          }`,
          ConditionExpression: 'claimId = :claim',
          ExpressionAttributeNames: { '#ts': 'ts', '#channel': 'channel', ...add.names },
          ExpressionAttributeValues: {
            ':ts': parent.ts,
            ':channel': parent.channel,
            ':parent': JSON.stringify(parentMessage),
            ':claim': claimId,
            ...add.values,
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw new DeliveryStateError('recording a slack thread parent failed', { cause: err });
    }
  }

  async addToSummary(
    destination: string,
    principal: string,
    claimId: string,
    additions: ThreadAdditions,
  ): Promise<SlackThread | undefined> {
    const add = addClauses(additions);
    if (add.clauses.length === 0) return this.get(destination, principal);
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: slackThreadKey(destination, principal) },
          UpdateExpression: `ADD ${add.clauses.join(', ')}`,
          ConditionExpression: 'claimId = :claim',
          ExpressionAttributeNames: add.names,
          ExpressionAttributeValues: { ':claim': claimId, ...add.values },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? parseThread(res.Attributes) : undefined;
    } catch (err) {
      if (isConditionalFailure(err)) return undefined;
      throw new DeliveryStateError('updating a slack thread summary failed', { cause: err });
    }
  }
}
