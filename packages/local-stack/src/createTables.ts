import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  createTableInput,
  TABLE_DEFINITIONS,
  type TableDefinition,
  tableName,
} from '@firstseen/dynamodb-store';

export interface CreatedTable {
  logicalName: TableDefinition['logicalName'];
  tableName: string;
  /** The table's stream ARN, for tables defined with a stream. */
  streamArn?: string;
}

/** Physical names and stream ARNs by logical name. */
export type CreatedTables = Record<TableDefinition['logicalName'], CreatedTable>;

export interface CreateTablesOptions {
  /**
   * Enable TTL on the tables' TTL attribute (default false; true is as in AWS). DynamoDB Local
   * really deletes expired items, by the wall clock, at moments of its choosing. Most local
   * uses stream dated events (the CloudTrail corpus goes back to 2014; the benchmark and chaos
   * workloads are fixed in 2024-2025 so that a seed gives the same events on any day), whose
   * keys' expiry (lastSeen + retentionDays) lies behind the wall clock: with TTL on, keys vanish
   * mid-run and later events claim them again. The chaos run met exactly that (one extra alert
   * in about one run in four). Nothing local needs the deletions: the claim's write condition
   * checks expiry by event time either way. Turn it on only to watch TTL itself, with events
   * whose times follow the wall clock.
   */
  enableTtl?: boolean;
}

/**
 * Creates every table of TABLE_DEFINITIONS as `<prefix>-<logicalName>`, with its stream (and TTL
 * when asked). A table that already exists (a `-dbPath` restart) is kept as it is.
 */
export async function createTables(
  client: DynamoDBClient,
  prefix: string,
  options: CreateTablesOptions = {},
): Promise<CreatedTables> {
  const enableTtl = options.enableTtl ?? false;
  const created = await Promise.all(
    TABLE_DEFINITIONS.map((def) => createTable(client, prefix, def, enableTtl)),
  );
  return Object.fromEntries(created.map((t) => [t.logicalName, t])) as CreatedTables;
}

async function createTable(
  client: DynamoDBClient,
  prefix: string,
  def: TableDefinition,
  enableTtl: boolean,
): Promise<CreatedTable> {
  const name = tableName(prefix, def);
  let fresh = true;
  try {
    await client.send(new CreateTableCommand(createTableInput(name, def)));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    fresh = false;
  }
  if (fresh && enableTtl) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
      }),
    );
  }
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  const table: CreatedTable = { logicalName: def.logicalName, tableName: name };
  if (Table?.LatestStreamArn !== undefined) table.streamArn = Table.LatestStreamArn;
  return table;
}

/** Creates a bucket; one that already exists and is ours is kept. */
export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
  }
}
