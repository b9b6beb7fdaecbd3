import { isDeniedCall } from '../../src/deniedCall';
import { iamChangeOf } from '../../src/iamChange';
import { sourceNetwork } from '../../src/sourceNetwork';
import { isDeploymentTool, userAgentFamily } from '../../src/userAgentFamily';
import { observedEvent } from '../helpers/events';

describe('userAgentFamily()', () => {
  it.each([
    ['aws-cli/2.17.3 md/awscrt#0.20.11 ua/2.0 os/linux botocore/2.0', 'aws-cli'],
    ['Boto3/1.34.1 md/Botocore#1.34.1 ua/2.0 os/linux#5.10', 'Boto3'],
    ['aws-sdk-js/3.586.0 ua/2.1 os/linux lang/js', 'aws-sdk-js'],
    ['console.amazonaws.com', 'console'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', 'console'],
    ['APN/1.0 HashiCorp/1.0 Terraform/1.8.5 (+https://www.terraform.io) aws-sdk-go-v2/1.30.1', 'Terraform'],
    ['curl/8.5.0', 'other:curl'],
    ['stratus-red-team_ea782787-a65d-4fc4-9fca-1c97869a9a25', 'other:stratus-red-team'],
    ['APN/1.0 Pulumi/1.0 pulumi-aws/6.50.0 aws-sdk-go-v2/1.30.3', 'Pulumi'],
    ['aws-sdk-js/3.632.0 ua/2.1 api/cloudformation#3.632.0 aws-cdk/2.154.1', 'CDK'],
    ['cloudformation.amazonaws.com', 'CloudFormation'],
    ['aws-sam-cli/1.120.0 Boto3/1.34.1 botocore/1.34.1', 'SAM'],
    ['APN/1.0 Ansible/2.17.1 amazon.aws/8.1.0 Boto3/1.34.1 botocore/1.34.1', 'Ansible'],
    ['codepipeline.amazonaws.com', 'CodePipeline'],
    // An SDK calling the CodeBuild API is not CodeBuild deploying.
    ['aws-sdk-js/3.586.0 ua/2.1 api/codebuild#3.586.0', 'aws-sdk-js'],
    ['aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.1', 'aws-sdk-go'],
    ['console.ec2.amazonaws.com', 'console'],
    ['lambda.amazonaws.com', 'AWS service'],
  ])('classifies %s as %s', (ua, family) => {
    expect(userAgentFamily(ua)).toBe(family);
  });

  it('tells deployment tools from other families', () => {
    expect(isDeploymentTool(userAgentFamily('APN/1.0 HashiCorp/1.0 Terraform/1.8.5'))).toBe(true);
    expect(isDeploymentTool(userAgentFamily('aws-cli/2.17.3 botocore/2.0'))).toBe(false);
    expect(isDeploymentTool(userAgentFamily('terraformer-but-not/1.0'))).toBe(true);
    expect(isDeploymentTool(userAgentFamily('curl/8.5.0'))).toBe(false);
  });

  it('returns undefined without a user agent', () => {
    expect(userAgentFamily(undefined)).toBeUndefined();
    expect(userAgentFamily('')).toBeUndefined();
  });
});

describe('sourceNetwork()', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['::ffff:198.51.100.9', '198.51.100.0/24'],
    ['AWS Internal', 'AWS Internal'],
    ['lambda.amazonaws.com', 'lambda.amazonaws.com'],
    ['<script>alert(1)</script>', 'other'],
  ])('maps %s to %s', (ip, net) => {
    expect(sourceNetwork(ip)).toBe(net);
  });
});

describe('isDeniedCall()', () => {
  it.each([
    'AccessDenied',
    'AccessDeniedException',
    'Client.UnauthorizedOperation',
    'UnauthorizedException',
    'Forbidden',
  ])('treats %s as denied', (code) => expect(isDeniedCall(code)).toBe(true));
  it.each(['ThrottlingException', 'NoSuchKey', 'ValidationException', '', undefined])(
    'does not treat %s as denied',
    (code) => expect(isDeniedCall(code)).toBe(false),
  );
});

describe('iamChangeOf()', () => {
  const iam = (eventName: string, requestParameters: unknown, extra = {}) =>
    observedEvent({
      eventSource: 'iam.amazonaws.com',
      eventName,
      action: `iam.amazonaws.com:${eventName}`,
      principal: 'sso/AdministratorAccess',
      sessionName: 'alice@example.com',
      record: { requestParameters },
      ...extra,
    });

  it('targets the role named by a role policy change, with its actor and policy', () => {
    const c = iamChangeOf(
      iam('AttachRolePolicy', { roleName: 'payments-api', policyArn: 'arn:aws:iam::aws:policy/X' }),
    );
    expect(c).toMatchObject({
      target: 'role/payments-api',
      eventName: 'AttachRolePolicy',
      actor: 'sso/AdministratorAccess',
      actorSessionName: 'alice@example.com',
      policy: 'arn:aws:iam::aws:policy/X',
    });
  });

  it('maps an Identity Center role to its permission set and a user change to the user', () => {
    expect(iamChangeOf(iam('PutRolePolicy', { roleName: 'AWSReservedSSO_ReadOnly_0123abcd' }))?.target).toBe(
      'sso/ReadOnly',
    );
    expect(iamChangeOf(iam('AttachUserPolicy', { userName: 'bob' }))?.target).toBe('user/111122223333/bob');
    expect(iamChangeOf(iam('CreateRole', { roleName: 'new-app' }))?.target).toBe('role/new-app');
    expect(iamChangeOf(iam('UpdateAssumeRolePolicy', { roleName: 'new-app' }))?.target).toBe('role/new-app');
  });

  it('ignores failed calls, other calls and names IAM would refuse', () => {
    expect(
      iamChangeOf(iam('AttachRolePolicy', { roleName: 'x' }, { failed: true, errorCode: 'AccessDenied' })),
    ).toBeUndefined();
    expect(iamChangeOf(iam('ListRoles', { roleName: 'x' }))).toBeUndefined();
    expect(iamChangeOf(iam('AttachRolePolicy', { roleName: 'a/b<@here>' }))).toBeUndefined();
    expect(iamChangeOf(iam('AttachRolePolicy', null))).toBeUndefined();
  });
});
