import { type IgnoreRules, TRUSTED_SOURCE_PREFIX } from '@firstseen/core';
import * as pulumi from '@pulumi/pulumi';
import { FORWARDED_DETAIL_TYPES } from './constants';
import type { Statement } from './policyDocument';
import { sourceFilter, withSourceFilter } from './sourceFilter';

export type Coverage = 'all' | 'write-only';

/** The state of an EventBridge rule that should see CloudTrail management events at this coverage. */
export function ruleStateFor(
  coverage: Coverage,
): 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' {
  // `ENABLED` still delivers CloudTrail write events; only the (far more numerous) read-only
  // management events need the ALL state. Reconnaissance is read-only, hence the default.
  return coverage === 'all' ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED';
}

/**
 * The event pattern of a rule. With `write-only` the pattern also drops events marked
 * `readOnly: true`: rules in the `ENABLED` state still receive read-only events whose names do
 * not start with Get/List/Describe, and those are billed like any other. With `ignore` (the
 * member accounts' rule), the pattern also drops what the detector is certain to ignore
 * (`sourceFilter`), so it is never billed as a cross-account event.
 */
export function forwardingEventPattern(
  coverage: Coverage,
  detailTypes = FORWARDED_DETAIL_TYPES,
  ignore?: Partial<IgnoreRules>,
): object {
  // Only AWS can publish an `aws.*` source: a custom event carrying a CloudTrail detail-type is
  // never forwarded (the detector also ignores it: docs/semantics.md "Input", untrusted-source).
  const base = { source: [{ prefix: TRUSTED_SOURCE_PREFIX }], 'detail-type': detailTypes };
  if (ignore !== undefined) return withSourceFilter(base, sourceFilter({ coverage, ignore }));
  if (coverage === 'all') return base;
  return {
    ...base,
    $or: [{ detail: { readOnly: [false] } }, { detail: { readOnly: [{ exists: false }] } }],
  };
}

export const FORWARDER_RULE_NAME = 'firstseen-forward-cloudtrail';
/**
 * The IAM path of every forwarding role. The central bus lets only roles on this path, in the
 * organization, acting for a rule of FORWARDER_RULE_NAME, put events (`centralBusPolicy`).
 */
export const FORWARDER_ROLE_PATH = '/firstseen-forwarder/';
export const CENTRAL_BUS_PARAMETER = 'CentralEventBusArn';

/**
 * The CloudFormation template deployed to every member account and region (and to the
 * management account by hand): one rule on the default bus forwarding CloudTrail API calls and
 * console sign-ins to the central bus, and the role EventBridge assumes to put them there,
 * allowed `events:PutEvents` on that one bus only. Role names are left to CloudFormation
 * because IAM is global and the template runs once per region.
 */
export function forwardingTemplate(
  coverage: Coverage,
  ignore: Partial<IgnoreRules> = {},
): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `firstseen: forward CloudTrail management events (coverage ${coverage}) to the security account's bus`,
    Parameters: {
      [CENTRAL_BUS_PARAMETER]: {
        Type: 'String',
        Description: 'ARN of the organization event bus in the security account',
        AllowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[/.\\-_A-Za-z0-9]+$',
      },
    },
    Resources: {
      ForwarderRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: 'Lets EventBridge forward CloudTrail events to the firstseen bus',
          Path: FORWARDER_ROLE_PATH,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: {
                  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                  ArnLike: {
                    'aws:SourceArn': {
                      'Fn::Sub': `arn:\${AWS::Partition}:events:*:\${AWS::AccountId}:rule/${FORWARDER_RULE_NAME}`,
                    },
                  },
                },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'put-events-on-firstseen-bus',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: CENTRAL_BUS_PARAMETER } },
                ],
              },
            },
          ],
        },
      },
      ForwardRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          Name: FORWARDER_RULE_NAME,
          Description: 'firstseen: CloudTrail API calls and console sign-ins to the security account',
          EventBusName: 'default',
          EventPattern: forwardingEventPattern(coverage, FORWARDED_DETAIL_TYPES, ignore),
          State: ruleStateFor(coverage),
          Targets: [
            {
              Id: 'firstseen-central-bus',
              Arn: { Ref: CENTRAL_BUS_PARAMETER },
              RoleArn: { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] },
              // Cross-account bus targets retry for up to a day; after that the watchdog notices.
              RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
            },
          ],
        },
      },
    },
    Outputs: {
      ForwardRuleArn: { Value: { 'Fn::GetAtt': ['ForwardRule', 'Arn'] } },
    },
  };
}

/**
 * The central bus's resource policy. Allows PutEvents only from a forwarding role (path
 * FORWARDER_ROLE_PATH) of an account of the organization, acting for a forwarding rule
 * (EventBridge sets `aws:SourceArn` to the ARN of the rule that sends the event). The Deny
 * statements hold the same rule against principals of the bus's own account, whose identity
 * policies could otherwise allow PutEvents without this policy; a forged source is refused
 * too (`events:source` is the source of each entry).
 */
export function centralBusPolicyStatements(
  busArn: pulumi.Input<string>,
  orgId: string,
  partition: pulumi.Input<string>,
): Statement[] {
  const forwarderRole = pulumi.interpolate`arn:${partition}:iam::*:role${FORWARDER_ROLE_PATH}*`;
  const forwardingRule = pulumi.interpolate`arn:${partition}:events:*:*:rule/${FORWARDER_RULE_NAME}`;
  return [
    {
      Sid: 'ForwardingRolesPutEvents',
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: busArn,
      Condition: {
        StringEquals: { 'aws:PrincipalOrgID': orgId },
        ArnLike: { 'aws:PrincipalArn': forwarderRole, 'aws:SourceArn': forwardingRule },
      },
    },
    {
      Sid: 'DenyAnyoneButForwardingRoles',
      Effect: 'Deny',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: busArn,
      Condition: { ArnNotLike: { 'aws:PrincipalArn': forwarderRole } },
    },
    {
      Sid: 'DenyAnythingButForwardingRules',
      Effect: 'Deny',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: busArn,
      Condition: { ArnNotLike: { 'aws:SourceArn': forwardingRule } },
    },
    {
      Sid: 'DenyOutsideOrganization',
      Effect: 'Deny',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: busArn,
      Condition: { StringNotEquals: { 'aws:PrincipalOrgID': orgId } },
    },
    {
      Sid: 'DenyCustomSources',
      Effect: 'Deny',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: busArn,
      Condition: { 'ForAnyValue:StringNotLike': { 'events:source': [`${TRUSTED_SOURCE_PREFIX}*`] } },
    },
  ];
}
