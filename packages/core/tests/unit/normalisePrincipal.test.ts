import { normalisePrincipal } from '../../src';
import { sessionNameOf } from '../../src/normalisePrincipal';
import type { IgnoreReason } from '../../src/types';
import { corpusRecord, fixture } from '../helpers/corpus';

type Expected = { principal: string; account: string; sessionName?: string } | { ignored: IgnoreReason };

const PANTHER = 'panther-analysis-test-events.ndjson';
const AWSDOCS = 'awsdocs-examples.ndjson';
const STRATUS = 'stratus-red-team-detonation-logs.ndjson';

/** A deep copy of a record with its userIdentity changed by `edit`. */
function edited(
  record: Record<string, unknown>,
  edit: (ui: Record<string, unknown>, record: Record<string, unknown>) => void,
): Record<string, unknown> {
  const copy = structuredClone(record);
  edit(copy.userIdentity as Record<string, unknown>, copy);
  return copy;
}

function issuerOf(ui: Record<string, unknown>): Record<string, unknown> {
  return (ui.sessionContext as Record<string, unknown>).sessionIssuer as Record<string, unknown>;
}

function expectOutcome(record: Record<string, unknown>, expected: Expected): void {
  const out = normalisePrincipal(record);
  if ('ignored' in expected) {
    expect(out).toMatchObject({ outcome: 'ignored', reason: expected.ignored });
  } else {
    expect(out).toEqual({
      outcome: 'principal',
      principal: expected.principal,
      account: expected.account,
      identityType: (record.userIdentity as Record<string, unknown>).type,
      ...(expected.sessionName === undefined ? {} : { sessionName: expected.sessionName }),
    });
  }
}

describe('normalisePrincipal()', () => {
  describe('records from the shared corpus', () => {
    const rows: [string, string, number, Expected][] = [
      [
        'AssumedRole: role name from sessionIssuer.userName',
        STRATUS,
        1,
        {
          principal: 'role/stratus-red-team-ec2-get-password-data-role',
          account: '457448411975',
          sessionName: 'aws-go-sdk-1722375070115152000',
        },
      ],
      [
        'AssumedRole with a role path: sessionIssuer.userName wins over the path',
        PANTHER,
        308,
        {
          principal: 'role/AdminRole',
          account: '111111111111',
          sessionName:
            'sample-role-brave-yalow-role-intelligent-brahmagupta-role-beautiful-keldysh-role-happy-easley-role-bold-buck',
        },
      ],
      [
        'AssumedRole without sessionContext: role name from the assumed-role ARN',
        PANTHER,
        22,
        { principal: 'role/DevAdministrator', account: '123456789123', sessionName: 'test_user' },
      ],
      [
        'AssumedRole whose ARN has no session part',
        AWSDOCS,
        4,
        { principal: 'role/SAMPLE_NAME', account: '123456789012' },
      ],
      [
        'AssumedRole with hand-typed lower-case keys: ARN name, account from recipientAccountId',
        PANTHER,
        84,
        { principal: 'role/TestAdmin', account: '112233445566', sessionName: 'alan' },
      ],
      [
        'Identity Center role AWSReservedSSO_<set>_<hex>',
        PANTHER,
        5,
        { principal: 'sso/DevAdmin', account: '123456789012', sessionName: 'bob.ross' },
      ],
      [
        'Identity Center role whose sessionIssuer has no userName (name from the ARN)',
        PANTHER,
        52,
        { principal: 'sso/DevAdmin', account: '187901811700', sessionName: 'nicholas.hakmiller' },
      ],
      [
        'AWSReservedSSO_ role whose suffix is not hex stays a plain role',
        PANTHER,
        66,
        { principal: 'role/AWSReservedSSO_developer_admin_asdf', account: 'xxx', sessionName: 'foo@bar.com' },
      ],
      ['service-linked role', PANTHER, 37, { ignored: 'service-linked-role' }],
      [
        'IAMUser with userName',
        AWSDOCS,
        3,
        { principal: 'user/123456789012/someuser', account: '123456789012' },
      ],
      [
        'IAMUser without userName: name from the :user/ ARN',
        PANTHER,
        295,
        { principal: 'user/111111111111/testuser', account: '111111111111' },
      ],
      ['IAMUser whose ARN is not a user ARN', AWSDOCS, 174, { ignored: 'principal-not-derivable' }],
      ['Root', AWSDOCS, 1, { principal: 'root/123456789012', account: '123456789012' }],
      [
        'FederatedUser: name from sessionIssuer.userName (the IAM user that called GetFederationToken)',
        STRATUS,
        309,
        {
          principal: 'federated/742491224508/stratus-red-team-user-federation-user',
          account: '742491224508',
        },
      ],
      [
        'FederatedUser without sessionContext: name from the federated-user ARN',
        PANTHER,
        6,
        { principal: 'federated/123456789012/federated-user', account: '123456789012' },
      ],
      ['AWSService', AWSDOCS, 19, { ignored: 'aws-service' }],
      ['AWSAccount', AWSDOCS, 205, { ignored: 'aws-account' }],
      ['Unknown', AWSDOCS, 184, { ignored: 'unknown-identity' }],
      ['userIdentity without type (AWS Internal)', AWSDOCS, 10, { ignored: 'no-identity-type' }],
      ['no userIdentity', PANTHER, 355, { ignored: 'no-identity' }],
    ];

    it.each(rows)('%s (%s line %d)', (_name, file, line, expected) => {
      expectOutcome(corpusRecord(file, line), expected);
    });
  });

  describe('corpus records edited here for shapes the corpus lacks', () => {
    it(`takes the last segment of a role-path issuer ARN without userName (${PANTHER} line 308, userName removed)`, () => {
      const r = edited(corpusRecord(PANTHER, 308), (ui) => {
        delete issuerOf(ui).userName;
      });
      expect(normalisePrincipal(r)).toMatchObject({ principal: 'role/sample-role-dreamy-yonath' });
    });

    it(`treats an empty sessionIssuer.userName as absent (${PANTHER} line 308, userName "")`, () => {
      const r = edited(corpusRecord(PANTHER, 308), (ui) => {
        issuerOf(ui).userName = '';
      });
      expect(normalisePrincipal(r)).toMatchObject({ principal: 'role/sample-role-dreamy-yonath' });
    });

    it(`matches the Identity Center pattern greedily (${PANTHER} line 5, permission set with "_")`, () => {
      const r = edited(corpusRecord(PANTHER, 5), (ui) => {
        issuerOf(ui).userName = 'AWSReservedSSO_Admin_Access_0a1B2c3D4e5F6789';
      });
      expect(normalisePrincipal(r)).toMatchObject({ principal: 'sso/Admin_Access' });
    });

    it(`ignores a role under aws-service-role/ whatever its name (${PANTHER} line 37, renamed)`, () => {
      const r = edited(corpusRecord(PANTHER, 37), (ui) => {
        issuerOf(ui).userName = 'CustomName';
        issuerOf(ui).arn = 'arn:aws:iam::187901811700:role/aws-service-role/example.amazonaws.com/CustomName';
      });
      expect(normalisePrincipal(r)).toMatchObject({ outcome: 'ignored', reason: 'service-linked-role' });
    });

    it(`ignores a role named AWSServiceRoleFor* found only in the ARN (${PANTHER} line 37, no sessionContext)`, () => {
      const r = edited(corpusRecord(PANTHER, 37), (ui) => {
        delete ui.sessionContext;
      });
      expect(normalisePrincipal(r)).toMatchObject({ outcome: 'ignored', reason: 'service-linked-role' });
    });

    it(`takes an IAM user's name after its path (${AWSDOCS} line 3, userName removed, path added)`, () => {
      const r = edited(corpusRecord(AWSDOCS, 3), (ui) => {
        delete ui.userName;
        ui.arn = 'arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe';
      });
      expect(normalisePrincipal(r)).toMatchObject({ principal: 'user/123456789012/JaneDoe' });
    });

    it(`falls back to recipientAccountId when accountId is empty (${AWSDOCS} line 3)`, () => {
      const r = edited(corpusRecord(AWSDOCS, 3), (ui, rec) => {
        ui.accountId = '';
        rec.recipientAccountId = '999988887777';
      });
      expect(normalisePrincipal(r)).toMatchObject({
        principal: 'user/999988887777/someuser',
        account: '999988887777',
      });
    });

    it(`ignores a record with no derivable account (${AWSDOCS} line 1, accountId removed)`, () => {
      const r = edited(corpusRecord(AWSDOCS, 1), (ui, rec) => {
        delete ui.accountId;
        delete rec.recipientAccountId;
      });
      expect(normalisePrincipal(r)).toMatchObject({ outcome: 'ignored', reason: 'no-account' });
    });

    it(`maps the same role name in two accounts to one principal (${STRATUS} line 1)`, () => {
      const a = normalisePrincipal(corpusRecord(STRATUS, 1));
      const b = normalisePrincipal(
        edited(corpusRecord(STRATUS, 1), (ui) => {
          ui.accountId = '000011112222';
        }),
      );
      expect(a).toMatchObject({ principal: 'role/stratus-red-team-ec2-get-password-data-role' });
      expect(b).toMatchObject({
        principal: 'role/stratus-red-team-ec2-get-password-data-role',
        account: '000011112222',
      });
    });

    it(`ignores an identity type the table does not list (${AWSDOCS} line 3, type "Directory")`, () => {
      const r = edited(corpusRecord(AWSDOCS, 3), (ui) => {
        ui.type = 'Directory';
      });
      expect(normalisePrincipal(r)).toMatchObject({
        outcome: 'ignored',
        reason: 'unsupported-identity-type',
      });
    });
  });

  describe('fixtures written here from AWS docs (tests/events)', () => {
    const rows: [string, string, Expected][] = [
      ['SAMLUser', 'saml-user.json', { principal: 'saml/SamlExample', account: '444455556666' }],
      [
        'WebIdentityUser',
        'web-identity-user.json',
        { principal: 'web/accounts.google.com/id-of-user', account: '444455556666' },
      ],
      [
        'IdentityCenterUser',
        'identity-center-user.json',
        { principal: 'identitycenter/94d00cd8-e9e6-4810-b177-b08e84775435', account: '111122223333' },
      ],
      [
        'AssumedRole in arn:aws-us-gov',
        'govcloud-assumed-role.json',
        { principal: 'role/RoleToBeAssumed', account: '123456789012', sessionName: 'MySessionName' },
      ],
      [
        'IAMUser in arn:aws-us-gov, name from the ARN',
        'govcloud-iam-user.json',
        { principal: 'user/123456789012/Alice', account: '123456789012' },
      ],
    ];

    it.each(rows)('%s (written here from AWS docs: %s)', (_name, file, expected) => {
      expectOutcome(fixture(file), expected);
    });

    it('reads an assumed-role ARN in arn:aws-cn without a sessionContext', () => {
      const r = edited(fixture('govcloud-assumed-role.json'), (ui) => {
        delete ui.sessionContext;
        ui.arn = 'arn:aws-cn:sts::123456789012:assumed-role/ChinaRole/s1';
      });
      expect(normalisePrincipal(r)).toMatchObject({ principal: 'role/ChinaRole', sessionName: 's1' });
    });

    it.each([
      ['SAMLUser without userName', 'saml-user.json', 'userName'],
      ['WebIdentityUser without identityProvider', 'web-identity-user.json', 'identityProvider'],
      ['IdentityCenterUser without onBehalfOf', 'identity-center-user.json', 'onBehalfOf'],
    ])('ignores a %s as not derivable', (_name, file, field) => {
      const r = edited(fixture(file), (ui) => {
        delete ui[field];
      });
      expect(normalisePrincipal(r)).toMatchObject({ outcome: 'ignored', reason: 'principal-not-derivable' });
    });
  });
});

describe('sessionNameOf()', () => {
  it.each([
    ['arn:aws:sts::1:assumed-role/Role/session', 'session'],
    ['arn:aws-us-gov:sts::1:assumed-role/Role/a@b.c', 'a@b.c'],
    ['arn:aws:sts::1:assumed-role/Role', undefined],
    ['arn:aws:sts::1:assumed-role/Role/', undefined],
    ['arn:aws:iam::1:user/alice', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (arn, expected) => {
    expect(sessionNameOf(arn)).toBe(expected);
  });
});
