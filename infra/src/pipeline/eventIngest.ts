import type { Config } from '@firstseen/core';
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { CENTRAL_DETAIL_TYPES, PARTITION_KEY_PATH } from '../constants';
import { centralBusPolicyStatements, forwardingEventPattern, ruleStateFor } from '../forwardingTemplate';
import { assumeRolePolicy, policyJson } from '../policyDocument';

export interface EventIngestArgs {
  prefix: string;
  /** Only the forwarding roles of this organization may put events on the bus. */
  orgId: string;
  partition: pulumi.Input<string>;
  coverage: Config['coverage'];
  streamMode: 'ON_DEMAND' | 'PROVISIONED';
  shardCount?: number;
  retentionHours?: number;
  keyArn: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  /** Pulumi's `protect` on the stream: replacing it would drop up to 7 days of unread events. */
  protect: boolean;
}

export interface EventIngest {
  stream: aws.kinesis.Stream;
  bus: aws.cloudwatch.EventBus;
  /** The rule from the bus to the stream. */
  rule: aws.cloudwatch.EventRule;
  /** Where the rule puts events it could not deliver to the stream. */
  ruleDlq: aws.sqs.Queue;
}

/**
 * The way in: the organization bus the member accounts forward CloudTrail events to, and a rule
 * that puts them on the Kinesis stream (partitioned by session issuer), with a dead-letter queue.
 */
export function createEventIngest(
  name: string,
  args: EventIngestArgs,
  parent: pulumi.ResourceOptions,
): EventIngest {
  const { prefix, keyArn, accountId } = args;
  const stream = new aws.kinesis.Stream(
    `${name}-stream`,
    {
      name: `${prefix}-events`,
      streamModeDetails: { streamMode: args.streamMode },
      shardCount: args.streamMode === 'PROVISIONED' ? args.shardCount : undefined,
      retentionPeriod: args.retentionHours ?? 168,
      encryptionType: 'KMS',
      kmsKeyId: keyArn,
    },
    { ...parent, protect: args.protect },
  );

  const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: `${prefix}-org` }, parent);
  new aws.cloudwatch.EventBusPolicy(
    `${name}-bus-policy`,
    {
      eventBusName: bus.name,
      policy: policyJson(centralBusPolicyStatements(bus.arn, args.orgId, args.partition, prefix)),
    },
    parent,
  );

  const rule = new aws.cloudwatch.EventRule(
    `${name}-to-stream`,
    {
      name: `${prefix}-to-stream`,
      description: 'firstseen: CloudTrail events from the organization to the Kinesis stream',
      eventBusName: bus.name,
      eventPattern: JSON.stringify(forwardingEventPattern(args.coverage, CENTRAL_DETAIL_TYPES)),
      // Rules on custom buses also need the ALL state to match read-only management events.
      state: ruleStateFor(args.coverage),
    },
    parent,
  );
  const ruleDlq = new aws.sqs.Queue(
    `${name}-to-stream-dlq`,
    { name: `${prefix}-to-stream-dlq`, sqsManagedSseEnabled: true, messageRetentionSeconds: 1_209_600 },
    parent,
  );
  new aws.sqs.QueuePolicy(
    `${name}-to-stream-dlq-policy`,
    {
      queueUrl: ruleDlq.url,
      policy: policyJson([
        {
          Sid: 'RuleDeadLetters',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: ruleDlq.arn,
          Condition: { ArnEquals: { 'aws:SourceArn': rule.arn } },
        },
      ]),
    },
    parent,
  );
  const ruleRole = new aws.iam.Role(
    `${name}-to-stream-role`,
    {
      assumeRolePolicy: assumeRolePolicy('events.amazonaws.com', accountId),
      description: 'EventBridge -> Kinesis',
    },
    parent,
  );
  const ruleRolePolicy = new aws.iam.RolePolicy(
    `${name}-to-stream-policy`,
    {
      role: ruleRole.id,
      policy: policyJson([
        {
          Sid: 'PutOnStream',
          Effect: 'Allow',
          Action: ['kinesis:PutRecord', 'kinesis:PutRecords'],
          Resource: stream.arn,
        },
        { Sid: 'EncryptForStream', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: keyArn },
      ]),
    },
    parent,
  );
  new aws.cloudwatch.EventTarget(
    `${name}-to-stream-target`,
    {
      rule: rule.name,
      eventBusName: bus.name,
      targetId: 'kinesis',
      arn: stream.arn,
      roleArn: ruleRole.arn,
      kinesisTarget: { partitionKeyPath: PARTITION_KEY_PATH },
      deadLetterConfig: { arn: ruleDlq.arn },
      retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
    },
    { ...parent, dependsOn: [ruleRolePolicy] },
  );

  return { stream, bus, rule, ruleDlq };
}
