import type * as pulumi from '@pulumi/pulumi';
import { SecureBucket } from '../SecureBucket';

export interface BucketsArgs {
  prefix: string;
  keyArn: pulumi.Input<string>;
  quarantineRetentionDays: number;
  failureRetentionDays: number;
  /** No forced deletion of non-empty buckets, and Pulumi's `protect` on both. */
  protect: boolean;
}

export interface PipelineBuckets {
  /** Records the detector could not parse. */
  quarantine: SecureBucket;
  /** Batches Lambda gave up on (the event source mappings' on-failure destination). */
  failures: SecureBucket;
}

export function createBuckets(
  name: string,
  args: BucketsArgs,
  parent: pulumi.ResourceOptions,
): PipelineBuckets {
  const quarantine = new SecureBucket(
    `${name}-quarantine`,
    {
      bucketPrefix: `${args.prefix}-quarantine-`,
      kmsKeyArn: args.keyArn,
      expirationDays: args.quarantineRetentionDays,
      forceDestroy: !args.protect,
      protect: args.protect,
    },
    parent,
  );
  const failures = new SecureBucket(
    `${name}-failures`,
    {
      bucketPrefix: `${args.prefix}-failures-`,
      kmsKeyArn: args.keyArn,
      expirationDays: args.failureRetentionDays,
      forceDestroy: !args.protect,
      protect: args.protect,
    },
    parent,
  );
  return { quarantine, failures };
}
