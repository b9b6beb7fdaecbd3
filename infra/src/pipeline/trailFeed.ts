import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { FirstseenFunction, FunctionSettings } from '../FirstseenFunction';
import { policyJson, type Statement } from '../policyDocument';

/** How the trail reader consumes its queue: the event source mapping and the queue's redrive. */
export interface TrailReaderSettings extends FunctionSettings {
  /** Notifications (one file each) per invocation. Default 10 (SQS's maximum without a batching window). */
  batchSize?: number;
  /** Seconds Lambda waits to fill a batch. Default 0: a file is read as soon as it is announced. */
  batchingWindowSeconds?: number;
  /** Receives of one notification before SQS moves it to the dead-letter queue. Default 5. */
  maxReceiveCount?: number;
  /** Alarm when the oldest notification waiting is older than this. Default 900 (three trail deliveries). */
  queueAgeAlarmSeconds?: number;
}

/**
 * The organization trail the second feed reads (docs/semantics.md "Second feed"): its bucket,
 * where that bucket lives and how it announces new log files.
 */
export interface TrailFeedSettings {
  /** The trail's S3 bucket (usually in the log archive account). */
  bucketName: string;
  /** The account that owns the bucket (12 digits). */
  bucketAccountId: string;
  /**
   * `s3`: the bucket's ObjectCreated notifications go to the queue directly. `sns`: the queue
   * subscribes to the trail's own SNS topic (CloudTrail's notification per delivered file).
   */
  notification: 's3' | 'sns';
  /** The trail's SNS topic (required with `sns`). */
  snsTopicArn?: string;
  /** The trail's KMS key, when its files are encrypted with SSE-KMS. */
  kmsKeyArn?: string;
  /** The trail's S3 key prefix, when it has one (files are then under `<keyPrefix>/AWSLogs/`). */
  keyPrefix?: string;
  reader?: TrailReaderSettings;
}

export const TRAIL_READER_DEFAULTS = {
  memoryMb: 1024,
  timeoutSeconds: 120,
  batchSize: 10,
  batchingWindowSeconds: 0,
  maxReceiveCount: 5,
  queueAgeAlarmSeconds: 900,
} as const;

/** The key prefix of the trail's log files: `[<keyPrefix>/]AWSLogs/`. */
export function trailLogsPrefix(trail: Pick<TrailFeedSettings, 'keyPrefix'>): string {
  return `${trail.keyPrefix ? `${trail.keyPrefix.replace(/\/+$/, '')}/` : ''}AWSLogs/`;
}

/** Where the trail's log files are: `arn:<partition>:s3:::<bucket>/[<keyPrefix>/]AWSLogs/*`. */
export function trailLogsArn(
  trail: Pick<TrailFeedSettings, 'bucketName' | 'keyPrefix'>,
  partition: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.interpolate`arn:${partition}:s3:::${trail.bucketName}/${trailLogsPrefix(trail)}*`;
}

/**
 * What the trail reader's role may do on the trail: read the log files (and decrypt them with
 * the trail's key). The detector's own grants (tables, outbox, quarantine) are added by the caller.
 */
export function trailReadStatements(trail: TrailFeedSettings, partition: pulumi.Input<string>): Statement[] {
  const statements: Statement[] = [
    {
      Sid: 'ReadTrailLogFiles',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: trailLogsArn(trail, partition),
    },
  ];
  if (trail.kmsKeyArn) {
    statements.push({
      Sid: 'DecryptTrailLogFiles',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: trail.kmsKeyArn,
    });
  }
  return statements;
}

export interface TrailQueues {
  queue: aws.sqs.Queue;
  dlq: aws.sqs.Queue;
}

/**
 * The queue the trail's notifications land on and its dead-letter queue, both SSE-SQS (S3 and
 * SNS can send to SSE-SQS queues without a key grant). Visibility timeout: six times the
 * reader's timeout, as Lambda asks of an SQS event source; 14 days' retention on both, so a
 * stalled reader loses nothing for two weeks.
 */
export function createTrailQueues(
  name: string,
  args: { prefix: string; readerTimeoutSeconds: number; maxReceiveCount: number },
  parent: pulumi.ResourceOptions,
): TrailQueues {
  const dlq = new aws.sqs.Queue(
    `${name}-trail-dlq`,
    { name: `${args.prefix}-trail-dlq`, sqsManagedSseEnabled: true, messageRetentionSeconds: 1_209_600 },
    parent,
  );
  const queue = new aws.sqs.Queue(
    `${name}-trail-queue`,
    {
      name: `${args.prefix}-trail`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1_209_600,
      visibilityTimeoutSeconds: 6 * args.readerTimeoutSeconds,
      // Long polling: Lambda's pollers wait for messages instead of receiving empty answers.
      receiveWaitTimeSeconds: 20,
      redrivePolicy: pulumi.jsonStringify({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: args.maxReceiveCount,
      }),
    },
    parent,
  );
  // Only the main queue may redrive into the dead-letter queue.
  new aws.sqs.RedriveAllowPolicy(
    `${name}-trail-dlq-redrive-allow`,
    {
      queueUrl: dlq.url,
      redriveAllowPolicy: pulumi.jsonStringify({
        redrivePermission: 'byQueue',
        sourceQueueArns: [queue.arn],
      }),
    },
    parent,
  );
  return { queue, dlq };
}

/** The one sender the queue accepts: the trail bucket's notifications or the trail's topic. */
export function trailQueuePolicyStatements(
  trail: TrailFeedSettings,
  queueArn: pulumi.Input<string>,
  partition: pulumi.Input<string>,
): Statement[] {
  const sender: Statement =
    trail.notification === 'sns'
      ? {
          Sid: 'TrailTopicNotifications',
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn,
          Condition: { ArnEquals: { 'aws:SourceArn': trail.snsTopicArn! } },
        }
      : {
          Sid: 'TrailBucketNotifications',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArn,
          Condition: {
            ArnEquals: { 'aws:SourceArn': pulumi.interpolate`arn:${partition}:s3:::${trail.bucketName}` },
            // A bucket name can be deleted and taken by another account: the owner is pinned too.
            StringEquals: { 'aws:SourceAccount': trail.bucketAccountId },
          },
        };
  return [
    sender,
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sqs:*',
      Resource: queueArn,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
}

/** The S3 notification configuration that announces new log files to the queue. */
export function trailQueueConfiguration(trail: TrailFeedSettings, queueArn: pulumi.Input<string>) {
  return {
    Id: 'firstseen-trail-feed',
    QueueArn: queueArn,
    Events: ['s3:ObjectCreated:*'],
    Filter: {
      Key: {
        FilterRules: [
          { Name: 'prefix', Value: trailLogsPrefix(trail) },
          { Name: 'suffix', Value: '.json.gz' },
        ],
      },
    },
  };
}

export interface ConnectTrailFeedArgs {
  prefix: string;
  trail: TrailFeedSettings;
  queues: TrailQueues;
  reader: FirstseenFunction;
  readerSettings: Required<Pick<TrailReaderSettings, 'batchSize' | 'batchingWindowSeconds'>>;
  /** The account the stack deploys to, when known: decides what this stack can create itself. */
  stackAccountId?: string;
  partition: pulumi.Input<string>;
}

/**
 * The queue policy, the event source mapping (partial batch responses), and the subscription:
 * created here when this account owns the bucket (S3 notification) or may subscribe to the
 * topic (SNS: the queue's owner subscribes, so no confirmation is needed); otherwise the
 * returned document says what the trail's account must add (`trailAccountTemplate`).
 */
export function connectTrailFeed(
  name: string,
  args: ConnectTrailFeedArgs,
  parent: pulumi.ResourceOptions,
): pulumi.Output<string> {
  const { trail, queues, reader } = args;
  const { queue } = queues;
  const queuePolicy = new aws.sqs.QueuePolicy(
    `${name}-trail-queue-policy`,
    { queueUrl: queue.url, policy: policyJson(trailQueuePolicyStatements(trail, queue.arn, args.partition)) },
    parent,
  );

  new aws.lambda.EventSourceMapping(
    `${name}-trail-reader-esm`,
    {
      functionName: reader.function.arn,
      eventSourceArn: queue.arn,
      batchSize: args.readerSettings.batchSize,
      maximumBatchingWindowInSeconds: args.readerSettings.batchingWindowSeconds,
      // Only the messages the reader lists come back; the rest of the batch is deleted.
      functionResponseTypes: ['ReportBatchItemFailures'],
    },
    { ...parent, dependsOn: [reader.policy] },
  );

  const sameAccount = args.stackAccountId !== undefined && args.stackAccountId === trail.bucketAccountId;
  if (trail.notification === 'sns') {
    // The queue's owner subscribes (cross-account too: the topic's policy must allow it), so
    // SNS needs no confirmation; envelopes are kept (raw delivery off), the reader unwraps them.
    new aws.sns.TopicSubscription(
      `${name}-trail-subscription`,
      { topic: trail.snsTopicArn!, protocol: 'sqs', endpoint: queue.arn, rawMessageDelivery: false },
      { ...parent, dependsOn: [queuePolicy] },
    );
  } else if (sameAccount) {
    // S3 keeps one notification configuration per bucket: this resource owns it.
    const config = trailQueueConfiguration(trail, queue.arn);
    new aws.s3.BucketNotification(
      `${name}-trail-notification`,
      {
        bucket: trail.bucketName,
        queues: [
          {
            id: config.Id,
            queueArn: queue.arn,
            events: config.Events,
            filterPrefix: config.Filter.Key.FilterRules[0]!.Value,
            filterSuffix: config.Filter.Key.FilterRules[1]!.Value,
          },
        ],
      },
      { ...parent, dependsOn: [queuePolicy] },
    );
  }
  return trailAccountTemplate({
    trail,
    queueArn: queue.arn,
    readerRoleArn: reader.role.arn,
    stackAccountId: args.stackAccountId,
    partition: args.partition,
  });
}

/**
 * What the trail's account must add, as JSON: bucket policy statements letting the reader's
 * role read the log files (cross-account only), the key policy statement (SSE-KMS), and the
 * notification: S3's queue configuration to merge into the bucket's notification configuration,
 * or the topic policy statement letting this account subscribe. Statements rather than a
 * CloudFormation stack: a bucket's policy, its notification configuration and a topic's policy
 * are each one document, which a stack would replace rather than extend.
 */
export function trailAccountTemplate(a: {
  trail: TrailFeedSettings;
  queueArn: pulumi.Input<string>;
  readerRoleArn: pulumi.Input<string>;
  stackAccountId?: string;
  partition: pulumi.Input<string>;
}): pulumi.Output<string> {
  const { trail } = a;
  const crossAccount = a.stackAccountId === undefined || a.stackAccountId !== trail.bucketAccountId;
  return pulumi
    .all([pulumi.output(a.queueArn), pulumi.output(a.readerRoleArn), pulumi.output(a.partition)])
    .apply(([queueArn, roleArn, partition]) => {
      const doc: Record<string, unknown> = {
        account: trail.bucketAccountId,
        bucket: trail.bucketName,
        bucketPolicyStatements: crossAccount
          ? [
              {
                Sid: 'FirstseenTrailReaderRead',
                Effect: 'Allow',
                Principal: { AWS: roleArn },
                Action: 's3:GetObject',
                Resource: `arn:${partition}:s3:::${trail.bucketName}/${trailLogsPrefix(trail)}*`,
              },
            ]
          : [],
      };
      if (trail.kmsKeyArn && crossAccount) {
        doc['keyPolicyStatement'] = {
          Sid: 'FirstseenTrailReaderDecrypt',
          Effect: 'Allow',
          Principal: { AWS: roleArn },
          Action: 'kms:Decrypt',
          Resource: '*',
        };
      }
      if (trail.notification === 's3' && crossAccount) {
        doc['bucketNotificationQueueConfiguration'] = trailQueueConfiguration(trail, queueArn);
      }
      const topicAccount = trail.snsTopicArn?.split(':')[4];
      if (trail.notification === 'sns' && topicAccount !== a.stackAccountId) {
        doc['topicPolicyStatement'] = {
          Sid: 'FirstseenTrailSubscribe',
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${queueArn.split(':')[4]}:root` },
          Action: 'sns:Subscribe',
          Resource: trail.snsTopicArn,
          Condition: { StringEquals: { 'sns:Protocol': 'sqs', 'sns:Endpoint': queueArn } },
        };
      }
      return JSON.stringify(doc, null, 2);
    });
}
