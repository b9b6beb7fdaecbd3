import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { OrganizationsAccountSource } from '../../src';
import page1 from '../events/listAccounts-page1.json';
import page2 from '../events/listAccounts-page2.json';

// Organizations has no emulator: the real SDK client (paginator, request serialisation) with
// its transport answered by aws-sdk-client-mock, from ListAccounts responses shaped as the
// Organizations API reference documents them (Status is deprecated in favour of State).
const organizations = mockClient(OrganizationsClient);

afterEach(() => organizations.reset());

const withDates = (page: typeof page1 | typeof page2) => ({
  ...page,
  Accounts: page.Accounts.map((a) => ({ ...a, JoinedTimestamp: new Date(a.JoinedTimestamp) })),
});

describe('OrganizationsAccountSource', () => {
  it('lists the ACTIVE accounts across every page and leaves suspended and closed ones out', async () => {
    organizations
      .on(ListAccountsCommand, {})
      .resolves(withDates(page1) as never)
      .on(ListAccountsCommand, { NextToken: page1.NextToken })
      .resolves(withDates(page2) as never);
    const source = new OrganizationsAccountSource(new OrganizationsClient({ region: 'us-east-1' }));
    expect(await source.listActiveAccounts()).toEqual(['111122223333', '777788889999']);
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(2);
  });

  it('lets an access error through (the watchdog run fails loudly instead of expecting nothing)', async () => {
    organizations.on(ListAccountsCommand).rejects(
      Object.assign(new Error('You don’t have permissions to access this resource.'), {
        name: 'AccessDeniedException',
      }),
    );
    const source = new OrganizationsAccountSource(new OrganizationsClient({ region: 'us-east-1' }));
    await expect(source.listActiveAccounts()).rejects.toThrow(/permissions/);
  });
});
