import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ACCOUNT_DIRECTORY_KEY, accountLabel, DynamoAccountDirectory, toDocumentClient } from '../../src';
import { startTestDynamo, type TestDynamo } from '../helpers/localDynamo';

let dynamo: TestDynamo;
let directory: DynamoAccountDirectory;

beforeAll(async () => {
  dynamo = await startTestDynamo('directory');
  directory = new DynamoAccountDirectory(dynamo.client, dynamo.tables.baseline.tableName);
}, 60_000);
afterAll(async () => {
  await dynamo?.stop();
});

describe('DynamoAccountDirectory', () => {
  it('reads back what the watchdog wrote, replacing the previous directory', async () => {
    await directory.put({ '111122223333': { name: 'old', ouPath: '' } }, 1);
    await directory.put({ '552650195104': { name: 'payments-prod', ouPath: 'Production/Payments' } }, 2);
    expect(await directory.get()).toEqual({
      directory: { '552650195104': { name: 'payments-prod', ouPath: 'Production/Payments' } },
      refreshedAt: 2,
    });
  });

  it('answers undefined for an unreadable item, so alerts fall back to account ids', async () => {
    await toDocumentClient(dynamo.client).send(
      new PutCommand({
        TableName: dynamo.tables.baseline.tableName,
        Item: { pk: ACCOUNT_DIRECTORY_KEY, accounts: '{not json', refreshedAt: 3 },
      }),
    );
    const cached = await directory.get();
    expect(cached).toBeUndefined();
    expect(accountLabel('552650195104', cached?.directory)).toBe('552650195104');
  });
});
