import { z } from 'zod';
import { asObject, nonEmptyString } from './recordFields';

/**
 * The evidence a responder needs on an alert (docs/semantics.md "Policy and the alert"): what
 * the call acted on, with which access key, whether MFA was used, the session's role chain and
 * whether the session came from the console. Every value is taken from the record, so it is
 * attacker-controlled: each string is bounded here and made inert by each renderer.
 */

/** Longest evidence string kept (an ARN is at most 2,048 characters; a name much less). */
export const EVIDENCE_MAX_CHARS = 256;
/** Most targets kept per alert. */
export const EVIDENCE_MAX_TARGETS = 8;

/**
 * One well-known request parameter naming the target of a call. `path` is read from
 * `requestParameters` (dot-separated; `[]` takes every element of an array); `sources`, when
 * present, restricts the entry to those event sources (for generic names like `name`).
 */
export interface TargetParameter {
  path: string;
  /** What the value names, as a responder says it: `user`, `bucket`, `security group`, ... */
  kind: string;
  sources?: readonly string[];
}

/**
 * The maintained table of request parameters that name a call's target (parameter names as
 * CloudTrail records them). A call none of them matches shows no target. Add an entry here,
 * with a test in tests/unit/evidence.test.ts, for every newly covered API.
 */
export const TARGET_PARAMETERS: readonly TargetParameter[] = [
  // IAM
  { path: 'userName', kind: 'user' },
  { path: 'roleName', kind: 'role' },
  { path: 'groupName', kind: 'group', sources: ['iam.amazonaws.com'] },
  { path: 'policyArn', kind: 'policy' },
  { path: 'policyName', kind: 'policy name' },
  { path: 'instanceProfileName', kind: 'instance profile' },
  { path: 'serialNumber', kind: 'MFA device', sources: ['iam.amazonaws.com'] },
  { path: 'sAMLProviderArn', kind: 'SAML provider' },
  { path: 'name', kind: 'SAML provider', sources: ['iam.amazonaws.com'] },
  { path: 'openIDConnectProviderArn', kind: 'OIDC provider' },
  { path: 'accessKeyId', kind: 'access key', sources: ['iam.amazonaws.com'] },
  // STS
  { path: 'roleArn', kind: 'role' },
  // Organizations
  { path: 'accountId', kind: 'account', sources: ['organizations.amazonaws.com'] },
  { path: 'policyId', kind: 'policy', sources: ['organizations.amazonaws.com'] },
  // S3
  { path: 'bucketName', kind: 'bucket' },
  { path: 'key', kind: 'object', sources: ['s3.amazonaws.com'] },
  // KMS, Secrets Manager, SSM
  { path: 'keyId', kind: 'key' },
  { path: 'secretId', kind: 'secret' },
  { path: 'name', kind: 'parameter', sources: ['ssm.amazonaws.com'] },
  // CloudTrail
  { path: 'name', kind: 'trail', sources: ['cloudtrail.amazonaws.com'] },
  { path: 'trailName', kind: 'trail' },
  // GuardDuty, Security Hub, Config
  { path: 'detectorId', kind: 'detector' },
  { path: 'configRuleName', kind: 'config rule' },
  { path: 'configurationRecorderName', kind: 'configuration recorder' },
  { path: 'deliveryChannelName', kind: 'delivery channel' },
  // EventBridge
  { path: 'name', kind: 'rule', sources: ['events.amazonaws.com'] },
  { path: 'rule', kind: 'rule', sources: ['events.amazonaws.com'] },
  // Lambda
  { path: 'functionName', kind: 'function' },
  // EC2
  { path: 'instanceId', kind: 'instance' },
  { path: 'instancesSet.items[].instanceId', kind: 'instance' },
  { path: 'snapshotId', kind: 'snapshot' },
  { path: 'imageId', kind: 'image' },
  { path: 'groupId', kind: 'security group', sources: ['ec2.amazonaws.com'] },
  { path: 'keyName', kind: 'key pair' },
  { path: 'DeleteFlowLogsRequest.FlowLogId[].content', kind: 'flow log' },
  { path: 'DeleteFlowLogsRequest.FlowLogId.content', kind: 'flow log' },
  { path: 'vpcId', kind: 'VPC' },
  // RDS, DynamoDB, CloudWatch Logs, SNS, SQS
  { path: 'dBInstanceIdentifier', kind: 'DB instance' },
  { path: 'dBSnapshotIdentifier', kind: 'DB snapshot' },
  { path: 'tableName', kind: 'table' },
  { path: 'logGroupName', kind: 'log group' },
  { path: 'topicArn', kind: 'topic' },
  { path: 'queueUrl', kind: 'queue' },
];

export const AlertTargetSchema = z.object({
  kind: z.string(),
  parameter: z.string(),
  value: z.string(),
});
export type AlertTarget = z.infer<typeof AlertTargetSchema>;

/** How the session was obtained: a console sign-in session or programmatic credentials. */
export type AccessMode = 'console' | 'programmatic';

export const AlertEvidenceSchema = z.object({
  /** What the call acted on (from TARGET_PARAMETERS); absent for calls the table does not know. */
  targets: z.array(AlertTargetSchema).max(EVIDENCE_MAX_TARGETS).optional().catch(undefined),
  /** userIdentity.accessKeyId: the long-term (AKIA) or temporary (ASIA) key used. */
  accessKeyId: z.string().optional().catch(undefined),
  /** sessionContext.attributes.mfaAuthenticated (or a console sign-in's MFAUsed). */
  mfaAuthenticated: z.boolean().optional().catch(undefined),
  /** The role (or user) that issued the session: sessionContext.sessionIssuer.arn. */
  sessionIssuer: z.string().optional().catch(undefined),
  /** The web identity (OIDC) or SAML provider the session was federated through. */
  federatedProvider: z.string().optional().catch(undefined),
  /** The AWS service that made the call on the principal's behalf (userIdentity.invokedBy). */
  invokedBy: z.string().optional().catch(undefined),
  access: z.enum(['console', 'programmatic']).optional().catch(undefined),
});
export type AlertEvidence = z.infer<typeof AlertEvidenceSchema>;

function bound(value: string): string {
  if (value.length <= EVIDENCE_MAX_CHARS) return value;
  let out = '';
  for (const ch of value) {
    if (out.length + ch.length > EVIDENCE_MAX_CHARS - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** The values at `path` in `root` (strings, numbers as text), at most `limit` of them. */
function valuesAt(root: unknown, path: string, limit: number): string[] {
  let current: unknown[] = [root];
  for (const segment of path.split('.')) {
    const many = segment.endsWith('[]');
    const name = many ? segment.slice(0, -2) : segment;
    const next: unknown[] = [];
    for (const node of current) {
      const value = asObject(node)?.[name];
      if (many) {
        if (Array.isArray(value)) next.push(...value.slice(0, limit));
      } else if (value !== undefined) next.push(value);
    }
    current = next;
  }
  const out: string[] = [];
  for (const v of current) {
    if (out.length >= limit) break;
    const text = typeof v === 'number' ? String(v) : nonEmptyString(v);
    if (text !== undefined) out.push(bound(text));
  }
  return out;
}

/** The call's targets per TARGET_PARAMETERS, in table order, without repeats. */
export function callTargets(eventSource: string, requestParameters: unknown): AlertTarget[] {
  if (asObject(requestParameters) === undefined) return [];
  const targets: AlertTarget[] = [];
  const seen = new Set<string>();
  for (const entry of TARGET_PARAMETERS) {
    if (targets.length >= EVIDENCE_MAX_TARGETS) break;
    if (entry.sources && !entry.sources.includes(eventSource)) continue;
    for (const value of valuesAt(requestParameters, entry.path, EVIDENCE_MAX_TARGETS)) {
      const id = `${entry.kind}\u0000${value}`;
      if (seen.has(id) || targets.length >= EVIDENCE_MAX_TARGETS) continue;
      seen.add(id);
      targets.push({ kind: entry.kind, parameter: entry.path, value });
    }
  }
  return targets;
}

function flag(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/**
 * The evidence of one CloudTrail record. `access` is `console` when CloudTrail marks the
 * session's credentials as from the console (`sessionCredentialFromConsole`) or the call is a
 * console sign-in, `programmatic` otherwise.
 */
export function extractEvidence(record: Record<string, unknown>): AlertEvidence {
  const evidence: AlertEvidence = {};
  const eventSource = nonEmptyString(record['eventSource']) ?? '';
  const targets = callTargets(eventSource, record['requestParameters']);
  if (targets.length > 0) evidence.targets = targets;

  const identity = asObject(record['userIdentity']);
  const accessKeyId = nonEmptyString(identity?.['accessKeyId']);
  if (accessKeyId !== undefined) evidence.accessKeyId = bound(accessKeyId);

  const session = asObject(identity?.['sessionContext']);
  const attributes = asObject(session?.['attributes']);
  let mfa = flag(attributes?.['mfaAuthenticated']);
  const additional = asObject(record['additionalEventData']);
  const mfaUsed = additional?.['MFAUsed'];
  if (mfaUsed === 'Yes') mfa = true;
  else if (mfaUsed === 'No' && mfa === undefined) mfa = false;
  if (mfa !== undefined) evidence.mfaAuthenticated = mfa;

  const issuer = asObject(session?.['sessionIssuer']);
  const issuerArn = nonEmptyString(issuer?.['arn']);
  if (issuerArn !== undefined) evidence.sessionIssuer = bound(issuerArn);

  const webIdentity = asObject(session?.['webIdFederationData']);
  const provider =
    nonEmptyString(webIdentity?.['federatedProvider']) ?? nonEmptyString(identity?.['identityProvider']);
  if (provider !== undefined) evidence.federatedProvider = bound(provider);

  const invokedBy = nonEmptyString(identity?.['invokedBy']);
  if (invokedBy !== undefined) evidence.invokedBy = bound(invokedBy);

  const fromConsole =
    flag(record['sessionCredentialFromConsole']) === true ||
    (eventSource === 'signin.amazonaws.com' && record['eventType'] === 'AwsConsoleSignIn');
  evidence.access = fromConsole ? 'console' : 'programmatic';
  return evidence;
}

/** One labelled piece of evidence, for renderers (which make the value inert in their format). */
export interface EvidenceItem {
  label: string;
  value: string;
}

/**
 * The evidence as labelled items in a fixed order, the one wording every renderer shows:
 * targets (labelled by kind), access key, MFA, access mode, then the role chain (session
 * issuer, source identity, federated provider, invoking service). Values are bounded, not inert.
 */
export function evidenceItems(evidence: AlertEvidence | undefined, sourceIdentity?: string): EvidenceItem[] {
  const items: EvidenceItem[] = [];
  if (evidence === undefined) {
    if (sourceIdentity) items.push({ label: 'source identity', value: sourceIdentity });
    return items;
  }
  for (const t of evidence.targets ?? []) items.push({ label: t.kind, value: t.value });
  if (evidence.accessKeyId) items.push({ label: 'access key', value: evidence.accessKeyId });
  if (evidence.mfaAuthenticated !== undefined)
    items.push({ label: 'MFA', value: evidence.mfaAuthenticated ? 'yes' : 'no' });
  if (evidence.access) items.push({ label: 'access', value: evidence.access });
  if (evidence.sessionIssuer) items.push({ label: 'session issuer', value: evidence.sessionIssuer });
  if (sourceIdentity) items.push({ label: 'source identity', value: sourceIdentity });
  if (evidence.federatedProvider) items.push({ label: 'federated via', value: evidence.federatedProvider });
  if (evidence.invokedBy) items.push({ label: 'invoked by', value: evidence.invokedBy });
  return items;
}
