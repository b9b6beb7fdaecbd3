import { createHash } from 'node:crypto';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Kinesis allows partition keys of at most 256 characters. */
const MAX_PARTITION_KEY = 256;

/**
 * The partition key the organization rule uses (docs/semantics.md "Data flow"): the session issuer's ARN,
 * else the principal's ARN, else the account. One role's events share a shard, keeping them in
 * order; a longer ARN is replaced by its SHA-256 (still stable per principal).
 */
export function partitionKeyOf(envelope: Record<string, unknown>): string {
  const detail = isObject(envelope.detail) ? envelope.detail : {};
  const identity = isObject(detail.userIdentity) ? detail.userIdentity : {};
  const session = isObject(identity.sessionContext) ? identity.sessionContext : {};
  const issuer = isObject(session.sessionIssuer) ? session.sessionIssuer : {};
  const key =
    str(issuer.arn) ||
    str(identity.arn) ||
    str(identity.accountId) ||
    str(detail.recipientAccountId) ||
    str(envelope.account) ||
    'unknown';
  return key.length <= MAX_PARTITION_KEY ? key : createHash('sha256').update(key).digest('hex');
}
