import {
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListParentsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { accountLabel } from '@firstseen/dynamodb-store';
import { mockClient } from 'aws-sdk-client-mock';
import { readAccountDirectory } from '../../src/readAccountDirectory';
import page1 from '../events/listAccounts-page1.json';
import page2 from '../events/listAccounts-page2.json';

// Organizations has no emulator: the real SDK client (paginators, serialisation) with its
// transport answered by aws-sdk-client-mock, responses shaped as the Organizations API
// reference documents ListAccounts, ListParents ({Parents:[{Id,Type}]}) and
// DescribeOrganizationalUnit ({OrganizationalUnit:{Id,Arn,Name}}) and ListTagsForResource
// ({Tags:[{Key,Value}], NextToken}).
const organizations = mockClient(OrganizationsClient);
afterEach(() => organizations.reset());

const withDates = (page: typeof page1 | typeof page2) => ({
  ...page,
  Accounts: page.Accounts.map((a) => ({ ...a, JoinedTimestamp: new Date(a.JoinedTimestamp) })),
});
const ROOT = 'r-ab12';
const PARENTS: Record<string, { Id: string; Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' }> = {
  '111122223333': { Id: 'ou-ab12-sec00001', Type: 'ORGANIZATIONAL_UNIT' },
  '444455556666': { Id: ROOT, Type: 'ROOT' },
  '777788889999': { Id: 'ou-ab12-sec00001', Type: 'ORGANIZATIONAL_UNIT' },
  'ou-ab12-sec00001': { Id: 'ou-ab12-prod0001', Type: 'ORGANIZATIONAL_UNIT' },
  'ou-ab12-prod0001': { Id: ROOT, Type: 'ROOT' },
};
const OU_NAMES: Record<string, string> = { 'ou-ab12-sec00001': 'Security', 'ou-ab12-prod0001': 'Production' };

const TAGS: Record<string, { Key: string; Value: string }[][]> = {
  // Two pages, as ListTagsForResource pages with NextToken.
  '111122223333': [[{ Key: 'environment', Value: 'prod' }], [{ Key: 'team', Value: 'security' }]],
};

function answerOrganization(): void {
  organizations
    .on(ListTagsForResourceCommand)
    .callsFake((input: { ResourceId: string; NextToken?: string }) => {
      const pages = TAGS[input.ResourceId] ?? [[]];
      const i = input.NextToken ? Number(input.NextToken) : 0;
      return { Tags: pages[i], ...(i + 1 < pages.length && { NextToken: String(i + 1) }) };
    });
  organizations
    .on(ListAccountsCommand, {})
    .resolves(withDates(page1) as never)
    .on(ListAccountsCommand, { NextToken: page1.NextToken })
    .resolves(withDates(page2) as never);
  organizations.on(ListParentsCommand).callsFake((input: { ChildId: string }) => ({
    Parents: [PARENTS[input.ChildId] ?? { Id: ROOT, Type: 'ROOT' }],
  }));
  organizations
    .on(DescribeOrganizationalUnitCommand)
    .callsFake((input: { OrganizationalUnitId: string }) => ({
      OrganizationalUnit: {
        Id: input.OrganizationalUnitId,
        Arn: `arn:aws:organizations::111111111111:ou/o-exampleorgid/${input.OrganizationalUnitId}`,
        Name: OU_NAMES[input.OrganizationalUnitId],
      },
    }));
}

describe('readAccountDirectory()', () => {
  it('names every account and gives its OU path from the root', async () => {
    answerOrganization();
    const directory = await readAccountDirectory(new OrganizationsClient({ region: 'us-east-1' }));
    expect(directory['111122223333']).toEqual({
      name: 'security',
      ouPath: 'Production/Security',
      tags: { environment: 'prod', team: 'security' },
    });
    expect(directory['444455556666']).toEqual({ name: 'sandbox', ouPath: '' });
    expect(Object.keys(directory).sort()).toEqual(
      [...page1.Accounts, ...page2.Accounts].map((a) => a.Id).sort(),
    );
  });

  it('describes each OU once however many accounts it holds', async () => {
    answerOrganization();
    await readAccountDirectory(new OrganizationsClient({ region: 'us-east-1' }));
    const described = organizations
      .commandCalls(DescribeOrganizationalUnitCommand)
      .map((c) => c.args[0].input.OrganizationalUnitId);
    expect(described.sort()).toEqual(['ou-ab12-prod0001', 'ou-ab12-sec00001']);
    expect(organizations.commandCalls(ListParentsCommand)).toHaveLength(4 + 2);
  });
});

describe('readAccountDirectory() tags', () => {
  it('keeps names and OU paths and stops asking for tags when ListTagsForResource is denied', async () => {
    answerOrganization();
    const denied = Object.assign(new Error('You don’t have permissions to access this resource.'), {
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: {},
    });
    organizations.on(ListTagsForResourceCommand).rejects(denied);
    const directory = await readAccountDirectory(new OrganizationsClient({ region: 'us-east-1' }));
    expect(directory['111122223333']).toEqual({ name: 'security', ouPath: 'Production/Security' });
    expect(organizations.commandCalls(ListTagsForResourceCommand)).toHaveLength(1);
  });

  it('reads no tags when asked not to', async () => {
    answerOrganization();
    await readAccountDirectory(new OrganizationsClient({ region: 'us-east-1' }), { tags: false });
    expect(organizations.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
  });
});

describe('accountLabel()', () => {
  it('shows name (id) when known and falls back to the id without a directory', () => {
    expect(accountLabel('111122223333', { '111122223333': { name: 'security', ouPath: '' } })).toBe(
      'security (111122223333)',
    );
    expect(accountLabel('111122223333', undefined)).toBe('111122223333');
    expect(accountLabel('999999999999', {})).toBe('999999999999');
  });
});
