import { levelKeys, principalKey } from '../../src';
import { REFRESH_DAYS } from '../../src/levelKeys';

const event = {
  account: '111122223333',
  principal: 'role/deploy',
  action: 'iam.amazonaws.com:CreateUser',
  region: 'eu-west-1',
};

describe('levelKeys()', () => {
  it('returns the account, role and region keys in that order', () => {
    expect(levelKeys(event)).toEqual([
      { level: 'account', pk: 'a#111122223333#role/deploy#iam.amazonaws.com:CreateUser' },
      { level: 'role', pk: 'r#role/deploy#iam.amazonaws.com:CreateUser' },
      { level: 'region', pk: 'g#role/deploy#eu-west-1#iam.amazonaws.com:CreateUser' },
    ]);
  });

  it('gives the role key no account, so one role name is one principal organization-wide', () => {
    const other = levelKeys({ ...event, account: '444455556666' });
    expect(other[1]).toEqual(levelKeys(event)[1]);
    expect(other[0]).not.toEqual(levelKeys(event)[0]);
  });

  it("keeps keys distinct when an attacker's name contains the separator", () => {
    const a = levelKeys({ ...event, principal: 'saml/x#eu-west-1', region: 'us-east-1' });
    const b = levelKeys({ ...event, principal: 'saml/x', region: 'eu-west-1#us-east-1' });
    expect(a[2]?.pk).not.toBe(b[2]?.pk);
  });

  it('percent-encodes # and % so an encoded-looking name cannot collide with an encoded one', () => {
    const hash = levelKeys({ ...event, principal: 'saml/a#b' })[1]?.pk;
    const literal = levelKeys({ ...event, principal: 'saml/a%23b' })[1]?.pk;
    expect(hash).toBe('r#saml/a%23b#iam.amazonaws.com:CreateUser');
    expect(literal).toBe('r#saml/a%2523b#iam.amazonaws.com:CreateUser');
  });
});

describe('levelKeys() memo', () => {
  const expected = (e: typeof event) => [
    { level: 'account', pk: `a#${e.account}#${e.principal}#${e.action}` },
    { level: 'role', pk: `r#${e.principal}#${e.action}` },
    { level: 'region', pk: `g#${e.principal}#${e.region}#${e.action}` },
  ];

  it('returns a fresh array each call, so a caller changing it cannot change the next result', () => {
    const first = levelKeys(event);
    first.pop();
    first.push({ level: 'region', pk: 'changed' });
    expect(levelKeys(event)).toEqual(expected(event));
    expect(() => {
      (levelKeys(event)[0] as { pk: string }).pk = 'changed';
    }).toThrow(TypeError);
  });

  it('keeps every key right while accounts and regions alternate for one principal and action', () => {
    const variants = [
      { ...event, account: '444455556666' },
      { ...event, region: 'us-east-1' },
      event,
      { ...event, account: '444455556666', region: 'us-east-1' },
      event,
    ];
    for (let round = 0; round < 3; round++) {
      for (const v of variants) expect(levelKeys(v)).toEqual(expected(v));
    }
  });

  it('gives the same keys after more distinct keys than the memo holds (it is cleared, not wrong)', () => {
    const before = levelKeys(event);
    for (let i = 0; i < 70_000; i++) {
      const e = {
        ...event,
        action: `s3.amazonaws.com:Action${i}`,
        region: i % 2 ? 'eu-west-1' : 'us-east-1',
      };
      if (i % 9_999 === 0) expect(levelKeys(e)).toEqual(expected(e));
      else levelKeys(e);
    }
    expect(levelKeys(event)).toEqual(before);
    expect(levelKeys(event)).toEqual(expected(event));
  });
});

describe('principalKey()', () => {
  it('prefixes the principal and encodes separators', () => {
    expect(principalKey('role/deploy')).toBe('p#role/deploy');
    expect(principalKey('saml/a#b')).toBe('p#saml/a%23b');
  });
});

describe('REFRESH_DAYS', () => {
  it('refreshes account, region and resource keys every 30 days and the role key daily', () => {
    expect(REFRESH_DAYS).toEqual({ account: 30, role: 1, region: 30, resource: 30 });
  });
});
