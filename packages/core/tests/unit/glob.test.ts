import { matchesAnyGlob, matchesGlob } from '../../src';

describe('matchesGlob()', () => {
  it.each([
    ['role/*', 'role/deploy', true],
    ['*', 'user/111122223333/alice', true],
    ['user/*/alice', 'user/111122223333/alice', true],
    ['role/*', 'sso/Admin', false],
    ['us-east-?', 'us-east-1', true],
    ['us-east-?', 'us-east-10', false],
    ['iam.amazonaws.com:Create*', 'iam.amazonaws.com:CreateUser', true],
    ['iam.amazonaws.com:Create*', 'iamXamazonawsYcom:CreateUser', false],
    ['role/a+b', 'role/a+b', true],
    ['role/a+b', 'role/aab', false],
    ['role/(x)|y', 'role/(x)|y', true],
    ['role/[x]', 'role/x', false],
    ['role/deploy', 'role/deploy-prod', false],
    ['role/deploy', 'xrole/deploy', false],
    ['Role/*', 'role/deploy', false],
    ['role/*', 'role/multi\nline', true],
  ])('matches %j against %j: %s', (glob, value, expected) => {
    expect(matchesGlob(value, glob)).toBe(expected);
  });
});

describe('matchesAnyGlob()', () => {
  it('is false for an empty list', () => {
    expect(matchesAnyGlob('role/deploy', [])).toBe(false);
  });

  it('is true when any glob matches', () => {
    expect(matchesAnyGlob('role/deploy', ['sso/*', 'role/d*'])).toBe(true);
  });
});
