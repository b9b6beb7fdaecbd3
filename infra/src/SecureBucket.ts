import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { policyJson } from './policyDocument';

export interface SecureBucketArgs {
  /** Bucket name prefix; AWS appends a unique suffix (bucket names are global). */
  bucketPrefix: string;
  /** Objects are encrypted with this customer managed key (SSE-KMS, bucket key on). */
  kmsKeyArn: pulumi.Input<string>;
  /** Every object expires this many days after it was written. */
  expirationDays: number;
  /** Allow `pulumi destroy` to delete a non-empty bucket. Default false. */
  forceDestroy?: boolean;
  /** Pulumi's `protect` on the bucket: a plan that would delete or replace it fails. Default false. */
  protect?: boolean;
}

/**
 * A private bucket: SSE-KMS, every public access path blocked, objects owned by the bucket
 * owner (no ACLs), a lifecycle expiry, and a policy that refuses any request not made over TLS.
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firstseen:storage:SecureBucket', name, {}, opts);
    const parent = { parent: this };

    this.bucket = new aws.s3.Bucket(
      name,
      { bucketPrefix: args.bucketPrefix, forceDestroy: args.forceDestroy ?? false },
      { parent: this, protect: args.protect ?? false },
    );
    this.arn = this.bucket.arn;
    this.name = this.bucket.bucket;

    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      parent,
    );
    new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: this.bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.kmsKeyArn },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: this.bucket.id,
        rules: [
          {
            id: 'expire',
            status: 'Enabled',
            filter: { prefix: '' },
            expiration: { days: args.expirationDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      parent,
    );
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket: this.bucket.id,
        policy: policyJson([
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      },
      parent,
    );

    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}
