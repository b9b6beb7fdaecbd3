import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { InfraConfigError } from './errors';
import { policyJson, type Statement } from './policyDocument';

export interface ReplayAccessArgs {
  namePrefix?: string;
  /** The organization trail's bucket (usually in the log archive account). */
  trailBucketName: string;
  /** The trail's KMS key ARN, when the trail is encrypted with SSE-KMS. */
  trailKmsKeyArn?: string;
  /** The organization id: the trail writes under `AWSLogs/<orgId>/`. */
  orgId: string;
  /** Principals in the security account allowed to assume the replay role (ARNs). */
  trustedPrincipalArns: pulumi.Input<string>[];
}

/**
 * Lets `npm run replay` read the organization trail from the security account: a role that
 * may list the bucket, read the trail's objects and decrypt them with the trail's key.
 * Cross-account, the trail bucket's policy and key's policy must also trust this role: the
 * statements to add are exported as `bucketPolicyStatements` and `keyPolicyStatement`.
 */
export class ReplayAccess extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.RolePolicy;
  /** A JSON array of the statements to add to the trail bucket's policy. */
  readonly bucketPolicyStatements: pulumi.Output<string>;
  readonly keyPolicyStatement?: pulumi.Output<string>;

  constructor(name: string, args: ReplayAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firstseen:replay:ReplayAccess', name, {}, opts);
    const parent = { parent: this };
    const prefix = args.namePrefix ?? 'firstseen';
    if (args.trustedPrincipalArns.length === 0) {
      throw new InfraConfigError('replay access needs at least one trusted principal ARN');
    }
    const partition = aws.getPartitionOutput({}, parent).partition;
    const bucketArn = pulumi.interpolate`arn:${partition}:s3:::${args.trailBucketName}`;
    const logsPrefix = `AWSLogs/${args.orgId}/`;

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: `${prefix}-replay`,
        description: 'firstseen: read the organization trail for replay',
        assumeRolePolicy: policyJson([
          { Effect: 'Allow', Principal: { AWS: args.trustedPrincipalArns }, Action: 'sts:AssumeRole' },
        ]),
      },
      parent,
    );
    const statements: Statement[] = [
      {
        Sid: 'ListTrail',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': [`${logsPrefix}*`] } },
      },
      {
        Sid: 'ReadTrail',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: pulumi.interpolate`${bucketArn}/${logsPrefix}*`,
      },
    ];
    if (args.trailKmsKeyArn) {
      statements.push({
        Sid: 'DecryptTrail',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: args.trailKmsKeyArn,
      });
    }
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: this.role.id, policy: policyJson(statements) },
      parent,
    );

    // ListBucket is an action on the bucket, GetObject on objects: one statement each, so
    // neither is paired with a resource type IAM does not define for it.
    this.bucketPolicyStatements = pulumi.jsonStringify([
      {
        Sid: 'FirstseenReplayList',
        Effect: 'Allow',
        Principal: { AWS: this.role.arn },
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': [`${logsPrefix}*`] } },
      },
      {
        Sid: 'FirstseenReplayRead',
        Effect: 'Allow',
        Principal: { AWS: this.role.arn },
        Action: 's3:GetObject',
        Resource: pulumi.interpolate`${bucketArn}/${logsPrefix}*`,
      },
    ]);
    if (args.trailKmsKeyArn) {
      this.keyPolicyStatement = pulumi.jsonStringify({
        Sid: 'FirstseenReplayDecrypt',
        Effect: 'Allow',
        Principal: { AWS: this.role.arn },
        Action: 'kms:Decrypt',
        Resource: '*',
      });
    }
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
