import { createOrganization } from '../../src';
import { accountDirectoryOf } from '../../src/accountDirectory';

describe('accountDirectoryOf()', () => {
  it('names every account and places it in an OU, the management account at the root', () => {
    const org = createOrganization({ seed: 7, accounts: 8 });
    const directory = accountDirectoryOf(org);
    expect(Object.keys(directory).sort()).toEqual(org.accounts.map((a) => a.id).sort());
    const byName = Object.fromEntries(Object.values(directory).map((e) => [e.name, e]));
    expect(byName['prod']).toEqual({
      name: 'prod',
      ouPath: 'Workloads/Production',
      tags: { environment: 'prod' },
    });
    expect(byName['sandbox']?.ouPath).toBe('Sandbox');
    expect(byName['management']?.ouPath).toBe('');
  });
});
