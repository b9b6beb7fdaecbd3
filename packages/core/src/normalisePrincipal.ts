import * as recordFields from './recordFields';
import type { IgnoreReason } from './types';

// Local bindings of the field helpers: under tsx (how every package runs) an imported function is
// read through a module getter on each call, which profiled at about 2% of the hot path.
const asObject = recordFields.asObject;
const nonEmptyString = recordFields.nonEmptyString;
const quote = recordFields.quote;

/**
 * Identity equivalence (docs/semantics.md "Principal"): maps a CloudTrail record's userIdentity to the
 * canonical principal that baselines are learned for, or says why the record is ignored.
 * Only ARN fragments (`:role/`, `:user/`, `assumed-role/`, `federated-user/`) are matched, so
 * every partition (`aws`, `aws-us-gov`, `aws-cn`) works alike.
 */
export type PrincipalOutcome =
  | {
      outcome: 'principal';
      /** e.g. `role/deploy`, `sso/AdministratorAccess`, `user/111122223333/alice`. */
      principal: string;
      /** userIdentity.accountId, else recipientAccountId. */
      account: string;
      /** userIdentity.type as given. */
      identityType: string;
      /** Role session name: the last segment of an assumed-role ARN, when there is one. */
      sessionName?: string;
    }
  | { outcome: 'ignored'; reason: IgnoreReason; identityType?: string; detail: string };

/** The principal of an account's root user is `root/<account>`. */
export const ROOT_PRINCIPAL_PREFIX = 'root/';

/** True for an account's root user (docs/semantics.md: high severity, never silenced principal-wide). */
export function isRootPrincipal(principal: string): boolean {
  return principal.startsWith(ROOT_PRINCIPAL_PREFIX);
}

/** Identity Center permission-set roles; greedy, so the permission set may itself contain `_`. */
const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-fA-F]+$/;

function ignored(reason: IgnoreReason, detail: string, identityType?: string): PrincipalOutcome {
  return identityType === undefined
    ? { outcome: 'ignored', reason, detail }
    : { outcome: 'ignored', reason, identityType, detail };
}

/** The text after `marker` in `arn`, up to the next `/` (or the end). */
function segmentAfter(arn: string | undefined, marker: string): string | undefined {
  if (arn === undefined) return undefined;
  const i = arn.indexOf(marker);
  if (i < 0) return undefined;
  return nonEmptyString(arn.slice(i + marker.length).split('/')[0]);
}

/** The last `/` segment of `arn` after `marker` (skips IAM paths such as `user/division/alice`). */
function lastSegmentAfter(arn: string | undefined, marker: string): string | undefined {
  if (arn === undefined) return undefined;
  const i = arn.indexOf(marker);
  if (i < 0) return undefined;
  const rest = arn.slice(i + marker.length);
  return nonEmptyString(rest.slice(rest.lastIndexOf('/') + 1));
}

/** `arn:aws:sts::1:assumed-role/Role/session` -> `session`; undefined without a session part. */
export function sessionNameOf(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const i = arn.indexOf('assumed-role/');
  if (i < 0) return undefined;
  // At least two `/` segments after the marker; the session is the last one (no split array).
  const start = i + 'assumed-role/'.length;
  if (arn.indexOf('/', start) < 0) return undefined;
  return nonEmptyString(arn.slice(arn.lastIndexOf('/') + 1));
}

// The canonical principal of each role name (`role/<name>` or `sso/<permission set>`), so the
// hot path neither runs SSO_ROLE nor builds a fresh string per event; a memoised string also
// keeps its hash for the key memo in levelKeys.ts. Bounded: cleared whole at ROLE_MEMO_MAX names.
const ROLE_MEMO_MAX = 20_000;
let rolePrincipals = new Map<string, string>();

function rolePrincipal(name: string): string {
  let principal = rolePrincipals.get(name);
  if (principal === undefined) {
    const sso = SSO_ROLE.exec(name);
    principal = sso ? `sso/${sso[1]}` : `role/${name}`;
    if (rolePrincipals.size >= ROLE_MEMO_MAX) rolePrincipals = new Map();
    rolePrincipals.set(name, principal);
  }
  return principal;
}

function observed(
  principal: string,
  account: string | undefined,
  identityType: string,
  sessionName?: string,
): PrincipalOutcome {
  if (account === undefined) {
    return ignored(
      'no-account',
      'neither userIdentity.accountId nor recipientAccountId is set',
      identityType,
    );
  }
  const out: PrincipalOutcome = { outcome: 'principal', principal, account, identityType };
  if (sessionName !== undefined) out.sessionName = sessionName;
  return out;
}

function assumedRole(ui: Record<string, unknown>, account: string | undefined): PrincipalOutcome {
  const type = 'AssumedRole';
  const issuer = asObject(asObject(ui.sessionContext)?.sessionIssuer);
  const issuerArn = nonEmptyString(issuer?.arn);
  const arn = nonEmptyString(ui.arn);
  const name =
    nonEmptyString(issuer?.userName) ??
    (issuerArn?.includes(':role/') ? lastSegmentAfter(issuerArn, ':role/') : undefined) ??
    segmentAfter(arn, 'assumed-role/');
  if (name === undefined) {
    return ignored('principal-not-derivable', 'AssumedRole without a role name', type);
  }
  if (issuerArn?.includes(':role/aws-service-role/') || name.startsWith('AWSServiceRoleFor')) {
    return ignored('service-linked-role', `service-linked role ${quote(name)}`, type);
  }
  return observed(rolePrincipal(name), account, type, sessionNameOf(arn));
}

/**
 * The canonical principal of a CloudTrail record, exactly per docs/semantics.md's table, or the reason
 * the record is ignored: `no-identity`, `no-identity-type`, `aws-service`, `aws-account`,
 * `unknown-identity`, `unsupported-identity-type` (a type the table does not list),
 * `service-linked-role`, `principal-not-derivable`, `no-account`.
 */
export function normalisePrincipal(record: Record<string, unknown>): PrincipalOutcome {
  const ui = asObject(record.userIdentity);
  if (ui === undefined) return ignored('no-identity', 'no userIdentity object');
  const type = nonEmptyString(ui.type);
  if (type === undefined) return ignored('no-identity-type', 'userIdentity has no type');
  const account = nonEmptyString(ui.accountId) ?? nonEmptyString(record.recipientAccountId);
  const arn = nonEmptyString(ui.arn);

  switch (type) {
    case 'AssumedRole':
      return assumedRole(ui, account);
    case 'IAMUser': {
      const name = nonEmptyString(ui.userName) ?? lastSegmentAfter(arn, ':user/');
      if (name === undefined) return ignored('principal-not-derivable', 'IAMUser without a user name', type);
      return observed(`user/${account}/${name}`, account, type);
    }
    case 'Root':
      return observed(`${ROOT_PRINCIPAL_PREFIX}${account}`, account, type);
    case 'FederatedUser': {
      const issuer = asObject(asObject(ui.sessionContext)?.sessionIssuer);
      const name = nonEmptyString(issuer?.userName) ?? segmentAfter(arn, 'federated-user/');
      if (name === undefined) {
        return ignored('principal-not-derivable', 'FederatedUser without a user name', type);
      }
      return observed(`federated/${account}/${name}`, account, type);
    }
    case 'SAMLUser': {
      const name = nonEmptyString(ui.userName);
      if (name === undefined) return ignored('principal-not-derivable', 'SAMLUser without userName', type);
      return observed(`saml/${name}`, account, type);
    }
    case 'WebIdentityUser': {
      const provider = nonEmptyString(ui.identityProvider);
      const name = nonEmptyString(ui.userName);
      if (provider === undefined || name === undefined) {
        return ignored(
          'principal-not-derivable',
          'WebIdentityUser without identityProvider and userName',
          type,
        );
      }
      return observed(`web/${provider}/${name}`, account, type);
    }
    case 'IdentityCenterUser': {
      const userId = nonEmptyString(asObject(ui.onBehalfOf)?.userId);
      if (userId === undefined) {
        return ignored('principal-not-derivable', 'IdentityCenterUser without onBehalfOf.userId', type);
      }
      return observed(`identitycenter/${userId}`, account, type);
    }
    case 'AWSService':
      return ignored('aws-service', 'identity type AWSService', type);
    case 'AWSAccount':
      return ignored('aws-account', 'identity type AWSAccount', type);
    case 'Unknown':
      return ignored('unknown-identity', 'identity type Unknown', type);
    default:
      return ignored('unsupported-identity-type', `identity type ${quote(type)}`, type);
  }
}
