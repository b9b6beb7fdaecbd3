import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type CreatedTables,
  createDynamoDbClient,
  createTables,
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '@firstseen/local-stack';

export interface TestDynamo {
  emulator: DynamoDbLocal;
  client: DynamoDBClient;
  tables: CreatedTables;
  /** A fresh client on the same emulator (for middleware that must not leak between tests). */
  newClient(): DynamoDBClient;
  stop(): Promise<void>;
}

/** DynamoDB Local on a free loopback port with the firstseen tables created. */
export async function startTestDynamo(prefix = 'test'): Promise<TestDynamo> {
  const emulator = await startDynamoDbLocal();
  const clients: DynamoDBClient[] = [];
  const newClient = () => {
    const c = createDynamoDbClient(emulator.endpoint);
    clients.push(c);
    return c;
  };
  const client = newClient();
  const tables = await createTables(client, prefix);
  return {
    emulator,
    client,
    tables,
    newClient,
    stop: async () => {
      for (const c of clients) c.destroy();
      await emulator.stop();
    },
  };
}
