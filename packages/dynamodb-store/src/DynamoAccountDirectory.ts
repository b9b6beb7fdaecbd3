import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AccountInfo, boundAccountInfo, describeAccount } from '@firstseen/core';
import { type AnyDynamoClient, toDocumentClient } from './documentClient';
import { toStoreError } from './errors';

/** How people know an account: core's AccountInfo (name, OU path from the root, tags). */
export type AccountDirectoryEntry = AccountInfo;

/** account id -> entry */
export type AccountDirectory = Record<string, AccountDirectoryEntry>;

/** Key of the one directory item in the baseline table. */
export const ACCOUNT_DIRECTORY_KEY = 'o#accounts';

/** Past this the directory is stored without tags (DynamoDB's item limit is 400 KB). */
export const ACCOUNT_DIRECTORY_MAX_BYTES = 380_000;

/** `name (id)` when the directory knows the account, else the id (a missing cache never blocks). */
export function accountLabel(accountId: string, directory: AccountDirectory | undefined): string {
  return describeAccount(accountId, directory?.[accountId]);
}

function parseDirectory(raw: unknown): AccountDirectory | undefined {
  if (typeof raw !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: AccountDirectory = {};
  for (const [id, e] of Object.entries(value as Record<string, unknown>)) {
    // The item is input like any other: ids checked, strings bounded (boundAccountInfo).
    const entry = /^\d{12}$/.test(id) ? boundAccountInfo(e) : undefined;
    if (entry) out[id] = entry;
  }
  return out;
}

/**
 * The organization's account names and OU paths cached in the baseline table, one item
 * (`o#accounts`, the directory as JSON: about 80 bytes an account plus its tags, so a few
 * thousand accounts fit DynamoDB's 400 KB item). Written by the watchdog's run, read by whoever renders or routes alerts.
 */
export class DynamoAccountDirectory {
  private readonly doc;

  constructor(
    client: AnyDynamoClient,
    private readonly tableName: string,
  ) {
    this.doc = toDocumentClient(client);
  }

  /** The cached directory and when it was refreshed (epoch ms); undefined when absent or unreadable. */
  async get(): Promise<{ directory: AccountDirectory; refreshedAt: number } | undefined> {
    try {
      const res = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: ACCOUNT_DIRECTORY_KEY } }),
      );
      const directory = parseDirectory(res.Item?.['accounts']);
      const refreshedAt = res.Item?.['refreshedAt'];
      return directory && typeof refreshedAt === 'number' ? { directory, refreshedAt } : undefined;
    } catch (err) {
      throw toStoreError('GetItem of the account directory', err);
    }
  }

  /** Writes the directory; without its tags when they would overflow DynamoDB's 400 KB item. */
  async put(directory: AccountDirectory, refreshedAt: number): Promise<void> {
    let accounts = JSON.stringify(directory);
    if (Buffer.byteLength(accounts) > ACCOUNT_DIRECTORY_MAX_BYTES) {
      const untagged = Object.fromEntries(
        Object.entries(directory).map(([id, e]) => [id, { name: e.name, ouPath: e.ouPath }]),
      );
      accounts = JSON.stringify(untagged);
    }
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: ACCOUNT_DIRECTORY_KEY, accounts, refreshedAt },
        }),
      );
    } catch (err) {
      throw toStoreError('PutItem of the account directory', err);
    }
  }
}
