import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AnyDynamoClient, toDocumentClient } from './documentClient';
import { toStoreError } from './errors';

/** How people know an account: its Organizations name and the path of OU names from the root. */
export interface AccountDirectoryEntry {
  name: string;
  /** OU names from the root down, `/`-separated (`Production/Payments`); `` directly under the root. */
  ouPath: string;
}

/** account id -> entry */
export type AccountDirectory = Record<string, AccountDirectoryEntry>;

/** Key of the one directory item in the baseline table. */
export const ACCOUNT_DIRECTORY_KEY = 'o#accounts';

/** `name (id)` when the directory knows the account, else the id (a missing cache never blocks). */
export function accountLabel(accountId: string, directory: AccountDirectory | undefined): string {
  const entry = directory?.[accountId];
  return entry && entry.name !== '' && entry.name !== accountId ? `${entry.name} (${accountId})` : accountId;
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
    const entry = e as { name?: unknown; ouPath?: unknown } | null;
    if (/^\d{12}$/.test(id) && typeof entry?.name === 'string' && typeof entry.ouPath === 'string') {
      out[id] = { name: entry.name, ouPath: entry.ouPath };
    }
  }
  return out;
}

/**
 * The organization's account names and OU paths cached in the baseline table, one item
 * (`o#accounts`, the directory as JSON: about 80 bytes an account, so a few thousand accounts fit
 * DynamoDB's 400 KB item). Written by the watchdog's run, read by whoever renders or routes alerts.
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

  async put(directory: AccountDirectory, refreshedAt: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: ACCOUNT_DIRECTORY_KEY, accounts: JSON.stringify(directory), refreshedAt },
        }),
      );
    } catch (err) {
      throw toStoreError('PutItem of the account directory', err);
    }
  }
}
