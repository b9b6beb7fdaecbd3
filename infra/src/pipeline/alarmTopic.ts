import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { policyJson } from '../policyDocument';
import type { SecureBucket } from '../SecureBucket';

export interface AlarmTopicArgs {
  prefix: string;
  keyArn: pulumi.Input<string>;
  /** Subscribe this address to the topic (confirmation mail is sent by SNS). */
  alarmEmail?: string;
}

/** The SNS topic every alarm and every failed batch is reported to, encrypted with the pipeline key. */
export function createAlarmTopic(
  name: string,
  args: AlarmTopicArgs,
  parent: pulumi.ResourceOptions,
): aws.sns.Topic {
  const topic = new aws.sns.Topic(
    `${name}-alarms`,
    { name: `${args.prefix}-alarms`, kmsMasterKeyId: args.keyArn },
    parent,
  );
  if (args.alarmEmail) {
    new aws.sns.TopicSubscription(
      `${name}-alarms-email`,
      { topic: topic.arn, protocol: 'email', endpoint: args.alarmEmail },
      parent,
    );
  }
  return topic;
}

export interface FailedBatchNotificationArgs {
  alarmTopic: aws.sns.Topic;
  failures: SecureBucket;
  accountId: pulumi.Input<string>;
}

/**
 * The alarm topic's policy (CloudWatch alarms of this account, and the failure bucket) and the
 * failure bucket's notification to it.
 */
export function notifyFailedBatches(
  name: string,
  args: FailedBatchNotificationArgs,
  parent: pulumi.ResourceOptions,
): void {
  const { alarmTopic, failures, accountId } = args;
  const failuresTopicPolicy = new aws.sns.TopicPolicy(
    `${name}-alarms-policy`,
    {
      arn: alarmTopic.arn,
      policy: policyJson([
        {
          Sid: 'CloudWatchAlarms',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: alarmTopic.arn,
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
        {
          Sid: 'FailedRecordWrites',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: alarmTopic.arn,
          Condition: { ArnEquals: { 'aws:SourceArn': failures.arn } },
        },
      ]),
    },
    parent,
  );
  // Every object in the failure bucket is a batch Lambda gave up on: tell a human at once.
  new aws.s3.BucketNotification(
    `${name}-failures-notification`,
    {
      bucket: failures.bucket.id,
      topics: [{ topicArn: alarmTopic.arn, events: ['s3:ObjectCreated:*'] }],
    },
    { ...parent, dependsOn: [failuresTopicPolicy] },
  );
}
