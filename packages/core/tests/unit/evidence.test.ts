import { corpusRecord } from '@firstseen/test-support';
import { parseConfig } from '../../src/config';
import { DetectionEngine } from '../../src/DetectionEngine';
import { callTargets, EVIDENCE_MAX_CHARS, EVIDENCE_MAX_TARGETS, extractEvidence } from '../../src/evidence';
import { InMemoryBaselineStore } from '../../src/InMemoryBaselineStore';
import { observed } from '../helpers/observedEvent';

// Records from the real CloudTrail corpus in @firstseen/test-support (file, line).
const panther = (line: number) => corpusRecord('panther-analysis-test-events.ndjson', line);
const stratus = (line: number) => corpusRecord('stratus-red-team-detonation-logs.ndjson', line);
const awsdocs = (line: number) => corpusRecord('awsdocs-examples.ndjson', line);

describe('extractEvidence()', () => {
  it('names the user a CreateAccessKey acts on, the caller key and programmatic access', () => {
    expect(extractEvidence(stratus(294))).toEqual({
      targets: [{ kind: 'user', parameter: 'userName', value: 'stratus-red-team-backdoor-u-user' }],
      accessKeyId: 'AKIA30BEZSJBVKOFKZW0',
      access: 'programmatic',
    });
  });

  it('names the bucket of a PutBucketPolicy and the role session behind it, with MFA', () => {
    const evidence = extractEvidence(panther(269));
    expect(evidence.targets).toEqual([{ kind: 'bucket', parameter: 'bucketName', value: 'example-bucket' }]);
    expect(evidence.mfaAuthenticated).toBe(true);
    expect(evidence.sessionIssuer).toBe('arn:aws:iam::123456789012:role/example-role');
  });

  it('says MFA was not used when the session attributes say false', () => {
    expect(extractEvidence(panther(161)).mfaAuthenticated).toBe(false);
  });

  it('names both the policy and the user of an AttachUserPolicy', () => {
    expect(extractEvidence(stratus(295)).targets).toEqual([
      { kind: 'user', parameter: 'userName', value: 'malicious-iam-user' },
      { kind: 'policy', parameter: 'policyArn', value: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ]);
  });

  it.each([
    ['a trail (StopLogging)', stratus(118), 'trail', 'stratus-red-team-ct-stop-trail-buykxbqejv'],
    ['a KMS key (ScheduleKeyDeletion)', awsdocs(150), 'key', '1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['an instance (TerminateInstances)', awsdocs(38), 'instance', 'i-1a2b3c4d'],
    ['a snapshot (ModifySnapshotAttribute)', panther(350), 'snapshot', 'snap-1111'],
    ['a flow log (DeleteFlowLogs)', stratus(123), 'flow log', 'fl-0e17aa62a21d4bbfe'],
    [
      'a security group (AuthorizeSecurityGroupIngress)',
      stratus(266),
      'security group',
      'sg-003dc7f1f1c686164',
    ],
    ['a function (UpdateFunctionCode)', panther(191), 'function', 'production-api'],
  ])('names %s', (_name, record, kind, value) => {
    expect(extractEvidence(record).targets).toEqual([expect.objectContaining({ kind, value })]);
  });

  it('shows no target for a call the table does not know', () => {
    expect(extractEvidence(awsdocs(66)).targets).toBeUndefined();
  });

  it('marks a session whose credentials came from the console as console access', () => {
    expect(extractEvidence(panther(275)).access).toBe('console');
    expect(extractEvidence(awsdocs(66)).access).toBe('console');
  });

  it('names the web identity provider of a federated session', () => {
    const record = {
      eventSource: 's3.amazonaws.com',
      userIdentity: {
        type: 'AssumedRole',
        accessKeyId: 'ASIAEXAMPLE',
        sessionContext: {
          sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/github-deploy' },
          webIdFederationData: {
            federatedProvider: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
            attributes: {},
          },
          attributes: { mfaAuthenticated: 'false' },
        },
      },
    };
    expect(extractEvidence(record)).toMatchObject({
      sessionIssuer: 'arn:aws:iam::111122223333:role/github-deploy',
      federatedProvider: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      mfaAuthenticated: false,
    });
  });

  it('bounds every string and the number of targets taken from an attacker-written record', () => {
    const long = 'x'.repeat(10_000);
    const record = {
      eventSource: 'ec2.amazonaws.com',
      userIdentity: { accessKeyId: long, sessionContext: { sessionIssuer: { arn: long } } },
      requestParameters: {
        instancesSet: { items: Array.from({ length: 500 }, (_, i) => ({ instanceId: `i-${i}` })) },
        snapshotId: long,
      },
    };
    const evidence = extractEvidence(record);
    expect(evidence.targets).toHaveLength(EVIDENCE_MAX_TARGETS);
    expect(evidence.accessKeyId).toHaveLength(EVIDENCE_MAX_CHARS);
    expect(evidence.sessionIssuer).toHaveLength(EVIDENCE_MAX_CHARS);
    expect(JSON.stringify(evidence).length).toBeLessThan(4 * EVIDENCE_MAX_CHARS + 1_000);
  });

  it('ignores parameters of the wrong type and generic names outside their service', () => {
    expect(callTargets('ec2.amazonaws.com', { userName: { nested: 1 }, name: 'web' })).toEqual([]);
    expect(callTargets('s3.amazonaws.com', 'not an object')).toEqual([]);
  });
});

describe('DetectionEngine alerts', () => {
  it('carry the evidence of their record', async () => {
    const engine = new DetectionEngine({
      store: new InMemoryBaselineStore(),
      config: parseConfig({ burnInDays: 0 }),
    });
    const event = observed({ id: 'e1', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey' });
    event.record = stratus(294);
    const { alert } = await engine.detect(event);
    expect(alert?.evidence).toEqual(extractEvidence(stratus(294)));
    expect(alert?.evidence?.targets?.[0]?.value).toBe('stratus-red-team-backdoor-u-user');
  });
});
