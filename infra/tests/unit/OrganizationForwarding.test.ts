import type { OrganizationForwarding as ForwardingClass } from '../../src/OrganizationForwarding';
import { byType, installMocks, one, settle } from '../helpers/pulumiMocks';

const registered = installMocks();

const BUS_ARN = 'arn:aws:events:eu-west-1:111122223333:event-bus/firstseen-org';
const OUS = ['ou-ab12-cdefghij', 'ou-ab12-klmnopqr'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const T = {
  stackSet: 'aws:cloudformation/stackSet:StackSet',
  instance: 'aws:cloudformation/stackSetInstance:StackSetInstance',
  stack: 'aws:cloudformation/stack:Stack',
};

let OrganizationForwarding: typeof ForwardingClass;
let forwarding: ForwardingClass;

beforeAll(async () => {
  ({ OrganizationForwarding } = await import('../../src/OrganizationForwarding'));
  forwarding = new OrganizationForwarding('fwd', {
    centralBusArn: BUS_ARN,
    targetOus: OUS,
    regions: REGIONS,
    coverage: 'all',
  });
  await settle();
});

const template = () => JSON.parse(one(registered, T.stackSet, 'fwd-stackset').inputs['templateBody']);

describe('OrganizationForwarding', () => {
  it('is a service-managed StackSet that deploys automatically to accounts joining the OUs', () => {
    const ss = one(registered, T.stackSet, 'fwd-stackset').inputs;
    expect(ss['permissionModel']).toBe('SERVICE_MANAGED');
    expect(ss['autoDeployment']).toEqual({ enabled: true, retainStacksOnAccountRemoval: false });
    expect(ss['callAs']).toBe('DELEGATED_ADMIN');
    expect(ss['capabilities']).toEqual(['CAPABILITY_IAM']);
    expect(ss['parameters']).toEqual({ CentralEventBusArn: BUS_ARN });
  });

  it('has one instance per region targeting the OUs', () => {
    const instances = byType(registered, T.instance).filter((r) => r.name.startsWith('fwd-'));
    expect(instances.map((i) => i.inputs['stackSetInstanceRegion']).sort()).toEqual([...REGIONS].sort());
    for (const i of instances) {
      expect(i.inputs['deploymentTargets']).toEqual({ organizationalUnitIds: OUS });
      expect(i.inputs['callAs']).toBe('DELEGATED_ADMIN');
    }
  });

  it('forwards CloudTrail API calls and console sign-ins from the default bus to the central bus', () => {
    const rule = template().Resources.ForwardRule;
    expect(rule.Type).toBe('AWS::Events::Rule');
    expect(rule.Properties.EventBusName).toBe('default');
    expect(rule.Properties.EventPattern['detail-type']).toEqual([
      'AWS API Call via CloudTrail',
      'AWS Console Sign In via CloudTrail',
    ]);
    // Only AWS publishes aws.* sources: a custom event with a CloudTrail detail-type stays home.
    expect(rule.Properties.EventPattern.source).toEqual([{ prefix: 'aws.' }]);
    const [target] = rule.Properties.Targets;
    expect(target.Arn).toEqual({ Ref: 'CentralEventBusArn' });
    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': ['ForwarderRole', 'Arn'] });
  });

  it('receives read-only management events when coverage is all', () => {
    expect(template().Resources.ForwardRule.Properties.State).toBe(
      'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    );
  });

  it('gives EventBridge a role allowed only events:PutEvents on the central bus', () => {
    const role = template().Resources.ForwarderRole;
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'events.amazonaws.com',
    });
    expect(role.Properties.Policies).toHaveLength(1);
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: 'CentralEventBusArn' } },
    ]);
    // IAM is global and the template runs once per region: a fixed role name would collide.
    expect(role.Properties.RoleName).toBeUndefined();
  });

  it('deploys the same template to the security account in every region', () => {
    const stacks = byType(registered, T.stack).filter((r) => r.name.startsWith('fwd-'));
    expect(stacks.map((s) => s.inputs['region']).sort()).toEqual([...REGIONS].sort());
    for (const s of stacks) {
      expect(s.inputs['templateBody']).toBe(forwarding.templateBody);
      expect(s.inputs['parameters']).toEqual({ CentralEventBusArn: BUS_ARN });
    }
  });

  it('skips the security account stacks when the StackSet already covers it', async () => {
    new OrganizationForwarding('nosec', {
      centralBusArn: BUS_ARN,
      targetOus: OUS,
      regions: REGIONS,
      coverage: 'all',
      includeSecurityAccount: false,
    });
    await settle();
    expect(byType(registered, T.stack).filter((r) => r.name.startsWith('nosec-'))).toHaveLength(0);
    expect(byType(registered, T.instance).filter((r) => r.name.startsWith('nosec-'))).toHaveLength(2);
  });

  it('with write-only coverage uses the ENABLED state and drops events marked readOnly', async () => {
    new OrganizationForwarding('wo', {
      centralBusArn: BUS_ARN,
      targetOus: OUS,
      regions: ['us-east-1'],
      coverage: 'write-only',
    });
    await settle();
    const rule = JSON.parse(one(registered, T.stackSet, 'wo-stackset').inputs['templateBody']).Resources
      .ForwardRule;
    expect(rule.Properties.State).toBe('ENABLED');
    expect(rule.Properties.EventPattern.source).toEqual([{ prefix: 'aws.' }]);
    expect(rule.Properties.EventPattern.$or).toEqual([
      { detail: { readOnly: [false] } },
      { detail: { readOnly: [{ exists: false }] } },
    ]);
  });

  it('refuses a region list without us-east-1, naming the reason', () => {
    expect(
      () =>
        new OrganizationForwarding('noeast', {
          centralBusArn: BUS_ARN,
          targetOus: OUS,
          regions: ['eu-west-1', 'eu-central-1'],
          coverage: 'all',
        }),
    ).toThrow(/regions must include us-east-1: IAM, Organizations, STS/);
  });

  it('refuses a target that is not an OU or root id', () => {
    expect(
      () =>
        new OrganizationForwarding('badou', {
          centralBusArn: BUS_ARN,
          targetOus: ['111122223333'],
          regions: ['us-east-1'],
          coverage: 'all',
        }),
    ).toThrow(/targetOus/);
  });
});
