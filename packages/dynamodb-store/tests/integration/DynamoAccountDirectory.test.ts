import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ACCOUNT_NAME_MAX } from '@firstseen/core';
import { accountLabel, DynamoAccountDirectory, toDocumentClient } from '../../src';
import { ACCOUNT_DIRECTORY_KEY } from '../../src/DynamoAccountDirectory';
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

  it('keeps tags, and stores the directory without them when they would overflow the 400 KB item', async () => {
    await directory.put(
      { '552650195104': { name: 'p', ouPath: 'Production', tags: { environment: 'prod' } } },
      4,
    );
    expect((await directory.get())?.directory['552650195104']?.tags).toEqual({ environment: 'prod' });
    const big: Record<string, { name: string; ouPath: string; tags: Record<string, string> }> = {};
    for (let i = 0; i < 2000; i++) {
      big[String(100000000000 + i)] = {
        name: `acct-${i}`,
        ouPath: 'Sandbox',
        tags: { note: 'x'.repeat(250) },
      };
    }
    await directory.put(big, 5);
    const read = await directory.get();
    expect(Object.keys(read!.directory)).toHaveLength(2000);
    expect(read!.directory['100000000007']).toEqual({ name: 'acct-7', ouPath: 'Sandbox' });
  });

  it('bounds the strings it reads back', async () => {
    await toDocumentClient(dynamo.client).send(
      new PutCommand({
        TableName: dynamo.tables.baseline.tableName,
        Item: {
          pk: ACCOUNT_DIRECTORY_KEY,
          accounts: JSON.stringify({ '552650195104': { name: 'n'.repeat(10_000), ouPath: 'x' } }),
          refreshedAt: 6,
        },
      }),
    );
    expect((await directory.get())?.directory['552650195104']?.name).toHaveLength(ACCOUNT_NAME_MAX);
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
