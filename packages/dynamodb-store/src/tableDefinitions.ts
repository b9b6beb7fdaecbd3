import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The one description of firstseen's DynamoDB tables. The local stack and the tests create
 * tables from it (`createTableInput`), and the Pulumi program declares them from it, so the
 * key, TTL attribute and stream settings cannot drift apart.
 */
export interface TableDefinition {
  /** Logical name; the physical name is `<prefix>-<logicalName>`. */
  logicalName: 'baseline' | 'alerts';
  /** String partition key attribute. */
  partitionKey: 'pk';
  /** The TTL attribute (epoch seconds). */
  ttlAttribute: 'expiresAt';
  /** DynamoDB stream view type, when the table has a stream. */
  streamViewType?: 'NEW_IMAGE';
  description: string;
}

export const BASELINE_TABLE: TableDefinition = {
  logicalName: 'baseline',
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  description:
    'One item per level key (a#, r#, g#), per principal first sighting (p#), per (account, region) heartbeat (h#) and per suppression (s#)',
};

export const ALERTS_TABLE: TableDefinition = {
  logicalName: 'alerts',
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  streamViewType: 'NEW_IMAGE',
  description: 'The alerts outbox and history: pk = alertId = eventID; delivery state per destination',
};

export const TABLE_DEFINITIONS: readonly TableDefinition[] = [BASELINE_TABLE, ALERTS_TABLE];

export function tableName(prefix: string, def: TableDefinition): string {
  return `${prefix}-${def.logicalName}`;
}

/** CreateTable input for a definition (pay-per-request; streams as defined). */
export function createTableInput(physicalName: string, def: TableDefinition): CreateTableCommandInput {
  const input: CreateTableCommandInput = {
    TableName: physicalName,
    AttributeDefinitions: [{ AttributeName: def.partitionKey, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: def.partitionKey, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
  if (def.streamViewType) {
    input.StreamSpecification = { StreamEnabled: true, StreamViewType: def.streamViewType };
  }
  return input;
}
