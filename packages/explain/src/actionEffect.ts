import type { ObservedEvent } from '@firstseen/core';
import { inert } from './bounded';

const NAME_CHARS = 80;

/** What a call is about, read from its requestParameters (bounded, inert), for a sentence. */
interface Subject {
  region: string;
  /** The first of the named request parameters present, quoted; '' when none. */
  param(...keys: string[]): string;
}

type Effect = (s: Subject) => string;

const trail = (s: Subject, key: string): string => {
  const name = s.param(key);
  return name ? ` (trail${name})` : '';
};

/**
 * What each sensitive action does to the organization's defences or access, as the sentence an
 * explanation leads with. Covers docs/semantics.md's default sensitive actions (a test keeps it so) and
 * a few more an organization may add to `sensitiveActions`.
 */
export const ACTION_EFFECTS: Readonly<Record<string, Effect>> = {
  'cloudtrail.amazonaws.com:StopLogging': (s) => `Stops CloudTrail logging in ${s.region}${trail(s, 'name')}`,
  'cloudtrail.amazonaws.com:DeleteTrail': (s) =>
    `Deletes a CloudTrail trail in ${s.region}${trail(s, 'name')}: what it logged stops being recorded`,
  'cloudtrail.amazonaws.com:UpdateTrail': (s) =>
    `Changes a CloudTrail trail in ${s.region}${trail(s, 'name')}: where or what it logs`,
  'cloudtrail.amazonaws.com:PutEventSelectors': (s) =>
    `Changes which events a CloudTrail trail in ${s.region} records${trail(s, 'trailName')}`,
  'guardduty.amazonaws.com:DeleteDetector': (s) =>
    `Deletes the GuardDuty detector in ${s.region}: threat detection stops there`,
  'guardduty.amazonaws.com:DisassociateFromMasterAccount': (s) =>
    `Detaches GuardDuty in ${s.region} from the administrator account: findings stop reaching the security team`,
  'guardduty.amazonaws.com:DisassociateFromAdministratorAccount': (s) =>
    `Detaches GuardDuty in ${s.region} from the administrator account: findings stop reaching the security team`,
  'iam.amazonaws.com:CreateUser': (s) => `Creates IAM user${s.param('userName')}: a new long-lived identity`,
  'iam.amazonaws.com:CreateAccessKey': (s) =>
    `Creates an access key${s.param('userName') ? ` for${s.param('userName')}` : ''}: new long-lived credentials`,
  'iam.amazonaws.com:CreateLoginProfile': (s) =>
    `Gives IAM user${s.param('userName')} a console password: console access`,
  'iam.amazonaws.com:AttachUserPolicy': (s) =>
    `Grants permissions: attaches policy${s.param('policyArn')} to IAM user${s.param('userName')}`,
  'iam.amazonaws.com:PutUserPolicy': (s) =>
    `Grants permissions: writes inline policy${s.param('policyName')} on IAM user${s.param('userName')}`,
  'iam.amazonaws.com:AttachRolePolicy': (s) =>
    `Grants permissions: attaches policy${s.param('policyArn')} to role${s.param('roleName')}`,
  'iam.amazonaws.com:PutRolePolicy': (s) =>
    `Grants permissions: writes inline policy${s.param('policyName')} on role${s.param('roleName')}`,
  'iam.amazonaws.com:UpdateAssumeRolePolicy': (s) =>
    `Changes who can assume role${s.param('roleName')}: new principals may get its access`,
  'organizations.amazonaws.com:LeaveOrganization': () =>
    'Takes the account out of the organization: its guardrails (SCPs) and central logging stop applying',
  'kms.amazonaws.com:ScheduleKeyDeletion': (s) =>
    `Schedules deletion of KMS key${s.param('keyId')} in ${s.region}: data it encrypts becomes unreadable`,
  's3.amazonaws.com:PutBucketPolicy': (s) =>
    `Replaces the bucket policy of${s.param('bucketName')}: changes who can read or write it`,
  's3.amazonaws.com:DeleteBucketPolicy': (s) =>
    `Removes the bucket policy of${s.param('bucketName')}: changes who can read or write it`,
  's3.amazonaws.com:PutBucketPublicAccessBlock': (s) =>
    `Changes the public access block of${s.param('bucketName')}: may allow public access`,
  's3.amazonaws.com:DeleteBucketPublicAccessBlock': (s) =>
    `Removes the public access block of${s.param('bucketName')}: public access becomes possible`,
  's3.amazonaws.com:PutBucketAcl': (s) =>
    `Changes the ACL of bucket${s.param('bucketName')}: changes who can access it`,
  'events.amazonaws.com:DisableRule': (s) =>
    `Disables EventBridge rule${s.param('name')} in ${s.region}: the alerting or automation it drives stops`,
  'events.amazonaws.com:DeleteRule': (s) =>
    `Deletes EventBridge rule${s.param('name')} in ${s.region}: the alerting or automation it drives stops`,
  'events.amazonaws.com:RemoveTargets': (s) =>
    `Removes targets of EventBridge rule${s.param('rule')} in ${s.region}: its events stop reaching them`,
  'events.amazonaws.com:PutRule': (s) =>
    `Creates or changes EventBridge rule${s.param('name')} in ${s.region}: can redirect or silence event-driven alerting`,
  'config.amazonaws.com:StopConfigurationRecorder': (s) =>
    `Stops AWS Config recording in ${s.region}: configuration changes go unrecorded`,
  'config.amazonaws.com:DeleteConfigurationRecorder': (s) =>
    `Deletes the AWS Config recorder in ${s.region}: configuration changes go unrecorded`,
  'ec2.amazonaws.com:DeleteFlowLogs': (s) =>
    `Deletes VPC flow logs in ${s.region}: network traffic goes unrecorded`,
  'securityhub.amazonaws.com:DisableSecurityHub': (s) =>
    `Disables Security Hub in ${s.region}: its findings and checks stop`,
  'access-analyzer.amazonaws.com:DeleteAnalyzer': (s) =>
    `Deletes IAM Access Analyzer${s.param('analyzerName')} in ${s.region}: external access goes unreported`,
  'iam.amazonaws.com:UpdateLoginProfile': (s) =>
    `Changes the console password of IAM user${s.param('userName')}: console access`,
  'iam.amazonaws.com:DeactivateMFADevice': (s) =>
    `Deactivates an MFA device of IAM user${s.param('userName')}: sign-in needs one factor less`,
  'iam.amazonaws.com:AddUserToGroup': (s) =>
    `Grants permissions: adds IAM user${s.param('userName')} to group${s.param('groupName')}`,
  'iam.amazonaws.com:DeleteVirtualMFADevice': (s) =>
    `Deletes virtual MFA device${s.param('serialNumber')}: sign-in needs one factor less`,
  'ec2.amazonaws.com:DisableEbsEncryptionByDefault': (s) =>
    `Turns off default EBS encryption in ${s.region}: new volumes may be unencrypted`,
  'config.amazonaws.com:DeleteConfigRule': (s) =>
    `Deletes AWS Config rule${s.param('configRuleName')} in ${s.region}: the compliance check it ran stops`,
  'config.amazonaws.com:DeleteDeliveryChannel': (s) =>
    `Deletes the AWS Config delivery channel in ${s.region}: configuration history stops being delivered`,
  'kms.amazonaws.com:DisableKey': (s) =>
    `Disables KMS key${s.param('keyId')} in ${s.region}: data it encrypts cannot be read until it is enabled`,
  'kms.amazonaws.com:PutKeyPolicy': (s) =>
    `Replaces the key policy of KMS key${s.param('keyId')} in ${s.region}: changes who can use or manage it, possibly outside the organization`,
  'ec2.amazonaws.com:ModifySnapshotAttribute': (s) =>
    `Changes who can use EBS snapshot${s.param('snapshotId')} in ${s.region}: may share its data with another account or the public`,
  'ec2.amazonaws.com:ModifyImageAttribute': (s) =>
    `Changes who can launch AMI${s.param('imageId')} in ${s.region}: may share it with another account or the public`,
  'rds.amazonaws.com:ModifyDBSnapshotAttribute': (s) =>
    `Changes who can restore DB snapshot${s.param('dBSnapshotIdentifier')} in ${s.region}: may share its data with another account or the public`,
  'iam.amazonaws.com:CreateSAMLProvider': (s) =>
    `Creates SAML identity provider${s.param('name')}: its users can be let into roles that trust it`,
  'iam.amazonaws.com:UpdateSAMLProvider': (s) =>
    `Replaces the metadata of SAML provider${s.param('sAMLProviderArn')}: another identity provider can sign users in`,
  'iam.amazonaws.com:CreateOpenIDConnectProvider': (s) =>
    `Creates OIDC identity provider${s.param('url')}: its identities can be let into roles that trust it`,
  'iam.amazonaws.com:AttachGroupPolicy': (s) =>
    `Grants permissions: attaches policy${s.param('policyArn')} to group${s.param('groupName')}`,
  'iam.amazonaws.com:PutGroupPolicy': (s) =>
    `Grants permissions: writes inline policy${s.param('policyName')} on group${s.param('groupName')}`,
  'iam.amazonaws.com:CreatePolicyVersion': (s) =>
    `Rewrites managed policy${s.param('policyArn')}: a new version can grant anything to all who hold it`,
  'iam.amazonaws.com:SetDefaultPolicyVersion': (s) =>
    `Switches managed policy${s.param('policyArn')} to another version: changes what all who hold it may do`,
  'lambda.amazonaws.com:AddPermission20150331': (s) =>
    `Lets another principal invoke or manage Lambda function${s.param('functionName')} in ${s.region}, possibly outside the organization`,
  'lambda.amazonaws.com:AddPermission20150331v2': (s) =>
    `Lets another principal invoke or manage Lambda function${s.param('functionName')} in ${s.region}, possibly outside the organization`,
  'ec2.amazonaws.com:ImportKeyPair': (s) =>
    `Imports SSH key pair${s.param('keyName')} in ${s.region}: its holder can log in to instances launched with it`,
};

/**
 * The sentence an alert on a sensitive action or by a `root/` principal leads with: what the
 * call does to the organization's defences or access. Undefined for any other alert.
 */
export function actionEffect(event: ObservedEvent, sensitive: boolean): string | undefined {
  const root = event.principal.startsWith('root/');
  if (!sensitive && !root) return undefined;
  const params = event.record['requestParameters'];
  const p = params !== null && typeof params === 'object' ? (params as Record<string, unknown>) : {};
  const subject: Subject = {
    region: inert(event.region, 40),
    param: (...keys) => {
      for (const k of keys) {
        const v = p[k];
        if (typeof v === 'string' && v !== '') return ` \`${inert(v, NAME_CHARS)}\``;
      }
      return '';
    },
  };
  const known = ACTION_EFFECTS[event.action];
  const what = known
    ? known(subject)
    : sensitive
      ? `Calls \`${inert(event.action, 120)}\` in ${subject.region}, on the sensitive-actions list`
      : `Calls \`${inert(event.action, 120)}\` in ${subject.region}`;
  if (!root) return what;
  const verb = what.charAt(0).toLowerCase() + what.slice(1);
  return `As the account's root user, which no IAM policy limits: ${verb}`;
}
