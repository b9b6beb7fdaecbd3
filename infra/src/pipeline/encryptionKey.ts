import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { policyJson } from '../policyDocument';

export interface EncryptionKeyArgs {
  prefix: string;
  accountId: pulumi.Input<string>;
  partition: pulumi.Input<string>;
  /** Pulumi's `protect`: deleting the key would make every table, stream record and secret unreadable. */
  protect: boolean;
}

/**
 * One customer managed key for everything at rest. Key policies must name "*" as the
 * resource (it means "this key"); access is granted per function in IAM, per key ARN.
 */
export function createEncryptionKey(
  name: string,
  args: EncryptionKeyArgs,
  parent: pulumi.ResourceOptions,
): aws.kms.Key {
  const key = new aws.kms.Key(
    `${name}-key`,
    {
      description: 'firstseen: stream, tables, buckets, secrets and alarm topic',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson([
        {
          Sid: 'EnableIamPolicies',
          Effect: 'Allow',
          Principal: { AWS: pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'AllowAlarmAndBucketNotificationsToEncryptedTopic',
          Effect: 'Allow',
          Principal: { Service: ['cloudwatch.amazonaws.com', 's3.amazonaws.com'] },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': args.accountId } },
        },
      ]),
    },
    { ...parent, protect: args.protect },
  );
  new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${args.prefix}`, targetKeyId: key.keyId }, parent);
  return key;
}
