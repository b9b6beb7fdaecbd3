import { TABLE_DEFINITIONS, type TableDefinition, tableName } from '@firstseen/dynamodb-store';
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export type PipelineTables = Record<TableDefinition['logicalName'], aws.dynamodb.Table>;

export interface TablesArgs {
  prefix: string;
  keyArn: pulumi.Input<string>;
  /** DynamoDB deletion protection, and Pulumi's `protect`: no delete or replace (infra/README.md "Upgrade"). */
  protect: boolean;
}

/** One DynamoDB table per definition of the store (baseline, alerts), encrypted with the pipeline key. */
export function createTables(name: string, args: TablesArgs, parent: pulumi.ResourceOptions): PipelineTables {
  const tables = {} as PipelineTables;
  for (const def of TABLE_DEFINITIONS) {
    tables[def.logicalName] = new aws.dynamodb.Table(
      `${name}-${def.logicalName}`,
      {
        name: tableName(args.prefix, def),
        billingMode: 'PAY_PER_REQUEST',
        hashKey: def.partitionKey,
        attributes: [{ name: def.partitionKey, type: 'S' }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: args.keyArn },
        ttl: { attributeName: def.ttlAttribute, enabled: true },
        streamEnabled: def.streamViewType !== undefined,
        streamViewType: def.streamViewType,
        deletionProtectionEnabled: args.protect,
      },
      { ...parent, protect: args.protect },
    );
  }
  return tables;
}
