import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { createLogger, lazyRuntime, loadConfigFile } from '@firstseen/core';
import { DynamoBaselineStore } from '@firstseen/dynamodb-store';
import {
  parseShardInput,
  readShardEnvironment,
  type ShardSummary,
  seedObjects,
  WriteRateGuard,
} from '@firstseen/replay';

/**
 * Lambda entry of the replay's distributed map (seed mode): one batch `{Items, BatchInput}` of
 * trail objects in, the shard's summary out (the state machine's ResultWriter keeps it for
 * `npm run replay -- --on aws`). A bad environment fails here, naming the variable.
 */
const logger = createLogger({ name: 'replay-shard' });
const env = readShardEnvironment(process.env);
// Every write request the store sends is charged to this function's share of the table's capacity.
const guard =
  env.writesPerSecond === undefined
    ? undefined
    : new WriteRateGuard({ writesPerSecond: env.writesPerSecond });
const runtime = lazyRuntime(async () => ({
  config: await loadConfigFile(env.configPath),
  s3: new S3Client({}),
  // Throttling is the guard's to handle (backoff and a lower rate); the SDK retries little.
  target: new DynamoBaselineStore({
    client: new DynamoDBClient({ maxAttempts: 3 }),
    tableName: env.baselineTable,
    ...(guard && { writePacer: guard }),
  }),
}));

export const handler = async (event: unknown): Promise<ShardSummary> => {
  const input = parseShardInput(event);
  const { config, s3, target } = await runtime();
  const summary = await seedObjects(input, {
    config,
    s3,
    target,
    ...(guard && { guard }),
  });
  logger.info({ ...summary, errors: summary.errors.slice(0, 20) }, 'shard seeded');
  return summary;
};
