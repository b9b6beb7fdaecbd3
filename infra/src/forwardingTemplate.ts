import { FORWARDED_DETAIL_TYPES } from './constants';

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
 * The event pattern of the forwarding rule. With `write-only` the pattern also drops events
 * marked `readOnly: true`: rules in the `ENABLED` state still receive read-only events whose
 * names do not start with Get/List/Describe, and those are billed like any other.
 */
export function forwardingEventPattern(coverage: Coverage, detailTypes = FORWARDED_DETAIL_TYPES): object {
  const base = { 'detail-type': detailTypes };
  if (coverage === 'all') return base;
  return {
    ...base,
    $or: [{ detail: { readOnly: [false] } }, { detail: { readOnly: [{ exists: false }] } }],
  };
}

/** The forwarding rule's name in every member account and region: `<namePrefix>-forward-cloudtrail`. */
export function forwarderRuleName(namePrefix: string): string {
  return `${namePrefix}-forward-cloudtrail`;
}
export const CENTRAL_BUS_PARAMETER = 'CentralEventBusArn';

/**
 * The CloudFormation template deployed to every member account and region (and to the
 * management account by hand): one rule on the default bus forwarding CloudTrail API calls and
 * console sign-ins to the central bus, and the role EventBridge assumes to put them there,
 * allowed `events:PutEvents` on that one bus only. Role names are left to CloudFormation
 * because IAM is global and the template runs once per region.
 */
export function forwardingTemplate(coverage: Coverage, namePrefix = 'firstseen'): Record<string, unknown> {
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
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
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
          Name: forwarderRuleName(namePrefix),
          Description: 'firstseen: CloudTrail API calls and console sign-ins to the security account',
          EventBusName: 'default',
          EventPattern: forwardingEventPattern(coverage),
          State: ruleStateFor(coverage),
          Targets: [
            {
              Id: `${namePrefix}-central-bus`,
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
