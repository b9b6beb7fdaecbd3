import { type OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import type { ExpectedAccountsSource } from './types';

/**
 * The ACTIVE accounts of the organization (Organizations ListAccounts, 20 a page; callable from
 * the management account or a delegated administrator, i.e. the security account). Accounts
 * that are suspended, pending closure or closed send nothing and are not expected.
 */
export class OrganizationsAccountSource implements ExpectedAccountsSource {
  constructor(private readonly client: OrganizationsClient) {}

  async listActiveAccounts(): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: this.client }, {})) {
      for (const a of page.Accounts ?? []) {
        // `State` replaces the deprecated `Status`; either says ACTIVE for a working account.
        const state = a.State ?? a.Status;
        if (a.Id && state === 'ACTIVE') ids.push(a.Id);
      }
    }
    return ids.sort();
  }
}
