import { createOrganization, GeneratorOptionsError } from '../../src';

describe('createOrganization()', () => {
  const org = createOrganization({ seed: 1 });

  it('gives every account a unique 12-digit id', () => {
    const ids = org.accounts.map((a) => a.id);
    expect(ids).toHaveLength(6);
    for (const id of ids) expect(id).toMatch(/^[1-9]\d{11}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const again = createOrganization({ seed: 1 });
    const other = createOrganization({ seed: 2 });
    expect(again.accounts).toEqual(org.accounts);
    expect(again.principals.map((p) => p.actions.map((a) => a.action))).toEqual(
      org.principals.map((p) => p.actions.map((a) => a.action)),
    );
    expect(other.accounts.map((a) => a.id)).not.toEqual(org.accounts.map((a) => a.id));
  });

  it('names application roles identically in several accounts, some under a path', () => {
    const apps = org.principals.filter((p) => p.kind === 'app-role');
    expect(apps.length).toBeGreaterThanOrEqual(20);
    for (const p of apps) {
      expect(p.principal).toBe(`role/${p.name}`);
      expect(p.accounts.length).toBeGreaterThanOrEqual(2);
    }
    expect(apps.some((p) => p.path === '/service/')).toBe(true);
  });

  it('has Identity Center permission sets, IAM users, root and ignored service identities', () => {
    const principals = org.observedPrincipals;
    expect(principals).toContain('sso/AdministratorAccess');
    expect(principals).toContain('sso/ReadOnly_Dev');
    expect(principals.filter((p) => p.startsWith('user/')).length).toBeGreaterThanOrEqual(3);
    expect(principals.filter((p) => p.startsWith('root/'))).toHaveLength(6);
    const ignored = org.principals.filter((p) => p.principal === undefined).map((p) => p.kind);
    expect(ignored).toEqual(expect.arrayContaining(['service-linked', 'aws-service']));
    expect(principals.length).toBeGreaterThanOrEqual(50);
  });

  it('rejects an impossible account count', () => {
    expect(() => createOrganization({ seed: 1, accounts: 2 })).toThrow(GeneratorOptionsError);
  });
});
