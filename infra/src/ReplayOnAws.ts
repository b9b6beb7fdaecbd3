import * as path from 'node:path';
import {
  DEFAULT_ITEMS_PER_BATCH,
  DEFAULT_RESULT_PREFIX,
  DEFAULT_TOLERATED_FAILURE_PERCENTAGE,
  MANIFEST_PREFIX,
  replayStateMachineDefinition,
} from '@firstseen/replay';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { FirstseenFunction } from './FirstseenFunction';
import { assumeRolePolicy, policyJson, type Statement } from './policyDocument';
import { SecureBucket } from './SecureBucket';
import { seedWriteShare } from './seedWriteShare';

export { DEFAULT_SEED_WRITE_UNITS_PER_SECOND } from './seedWriteShare';

/** `firstseen:replayOnAws`: the seed's distributed map on AWS (off unless `enabled`). */
export interface ReplayOnAwsSettings {
  enabled?: boolean;
  /**
   * Batches (replay-shard invocations) at once: the map's MaxConcurrency, and the shard
   * function's reserved concurrency (so that no more ever run, a second execution included).
   * Default 100; at most `maxWriteUnitsPerSecond` (each shard needs 1 write unit a second).
   */
  concurrency?: number;
  /** Trail objects per batch. Default 50. */
  maxItemsPerBatch?: number;
  /** Failed objects (after retries) tolerated before the run fails. Default 5 %. */
  toleratedFailurePercentage?: number;
  /**
   * The seed's share of the baseline table's write capacity, in write units per second, for all
   * batches together; each invocation gets `floor(maxWriteUnitsPerSecond / concurrency)`. Default 1000:
   * a quarter of an on-demand table's initial 4,000 WCU, leaving the rest to live detection.
   */
  maxWriteUnitsPerSecond?: number;
  /** replay-shard's memory (default 1769 MB: one full vCPU). */
  memoryMb?: number;
}

export interface ReplayOnAwsArgs extends ReplayOnAwsSettings {
  namePrefix?: string;
  handlersDir: string;
  /** The validated config (bundled as config.json, as for every function). */
  configJson: string;
  /** The organization trail's bucket and (when SSE-KMS) key; objects under `AWSLogs/<orgId>/`. */
  trailBucketName: string;
  trailKmsKeyArn?: string;
  orgId: string;
  baselineTable: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
  /** The pipeline's key: the results bucket is encrypted with it. */
  keyArn: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  logRetentionDays: number;
}

export const DEFAULT_SHARD_MEMORY_MB = 1769;

/**
 * `npm run replay -- s3://... --mode seed --on aws`: a Step Functions state machine whose
 * DISTRIBUTED map reads the range's objects from the manifest the command line lists and writes
 * into the results bucket (`replay-manifests/`), batches them and runs the replay-shard function on
 * each batch (packages/replay's `replayStateMachineDefinition`, the definition the tests
 * validate and execute), a private bucket for the map run's results, and roles allowed exactly
 * what each needs. Cross-account, the trail bucket's policy must trust the shard's role:
 * `bucketPolicyStatements` (and `keyPolicyStatement` for an SSE-KMS trail); the state machine
 * itself never touches the trail.
 */
export class ReplayOnAws extends pulumi.ComponentResource {
  readonly shard: FirstseenFunction;
  readonly stateMachine: aws.sfn.StateMachine;
  readonly role: aws.iam.Role;
  readonly results: SecureBucket;
  readonly bucketPolicyStatements: pulumi.Output<string>;
  readonly keyPolicyStatement?: pulumi.Output<string>;

  constructor(name: string, args: ReplayOnAwsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firstseen:replay:ReplayOnAws', name, {}, opts);
    const parent = { parent: this };
    const prefix = args.namePrefix ?? 'firstseen';
    const { concurrency, perShard } = seedWriteShare(args);
    const partition = aws.getPartitionOutput({}, parent).partition;
    const region = aws.getRegionOutput({}, parent).region;
    const trailArn = pulumi.interpolate`arn:${partition}:s3:::${args.trailBucketName}`;
    const logsPrefix = `AWSLogs/${args.orgId}/`;

    this.results = new SecureBucket(
      `${name}-results`,
      {
        bucketPrefix: `${prefix}-replay-results-`,
        kmsKeyArn: args.keyArn,
        expirationDays: 30,
        forceDestroy: true,
      },
      parent,
    );

    const decryptTrail: Statement[] = args.trailKmsKeyArn
      ? [{ Sid: 'DecryptTrail', Effect: 'Allow', Action: 'kms:Decrypt', Resource: args.trailKmsKeyArn }]
      : [];
    this.shard = new FirstseenFunction(
      `${name}-shard`,
      {
        functionName: `${prefix}-replay-shard`,
        description: 'firstseen: seed the baseline from one batch of trail objects (replay on AWS)',
        handlerDir: path.join(args.handlersDir, 'replay-shard'),
        configJson: args.configJson,
        logRetentionDays: args.logRetentionDays,
        accountId: args.accountId,
        memoryMb: args.memoryMb ?? DEFAULT_SHARD_MEMORY_MB,
        timeoutSeconds: 900,
        // The map runs at most `concurrency` shards; reserving exactly that many also caps a
        // second execution, a redrive or anyone invoking the function: the shares never add up
        // above the seed's total.
        reservedConcurrency: concurrency,
        environment: {
          FIRSTSEEN_BASELINE_TABLE: args.baselineTable.name,
          FIRSTSEEN_SEED_WRITES_PER_SECOND: String(perShard),
        },
        statements: [
          {
            Sid: 'ReadTrail',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: pulumi.interpolate`${trailArn}/${logsPrefix}*`,
          },
          ...decryptTrail,
          // seedKey: a conditional PutItem, then UpdateItem merges; recordSighting: UpdateItem.
          {
            Sid: 'SeedBaseline',
            Effect: 'Allow',
            Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
            Resource: args.baselineTable.arn,
          },
        ],
      },
      parent,
    );

    const stateMachineName = `${prefix}-replay`;
    const stateMachineArn = pulumi.interpolate`arn:${partition}:states:${region}:${args.accountId}:stateMachine:${stateMachineName}`;
    // Its own executions (`<name>:<id>`) and the map run's children (`<name>/<map label>:<id>`).
    const executionsArns = [
      pulumi.interpolate`arn:${partition}:states:${region}:${args.accountId}:execution:${stateMachineName}:*`,
      pulumi.interpolate`arn:${partition}:states:${region}:${args.accountId}:execution:${stateMachineName}/*`,
    ];
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: assumeRolePolicy('states.amazonaws.com', args.accountId),
        description: 'firstseen: the replay state machine (distributed map over the trail)',
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: policyJson([
          // The ItemReader reads the range's manifest, which the command line wrote (JSON Lines).
          {
            Sid: 'ReadManifest',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: pulumi.interpolate`${this.results.arn}/${MANIFEST_PREFIX}/*`,
          },
          {
            Sid: 'InvokeShard',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: this.shard.function.arn,
          },
          // A distributed map runs its children as executions of this state machine.
          { Sid: 'RunChildren', Effect: 'Allow', Action: 'states:StartExecution', Resource: stateMachineArn },
          {
            Sid: 'FollowChildren',
            Effect: 'Allow',
            Action: ['states:DescribeExecution', 'states:StopExecution'],
            Resource: executionsArns,
          },
          // The ResultWriter's manifest and result files (multipart uploads for large ones).
          {
            Sid: 'WriteResults',
            Effect: 'Allow',
            Action: [
              's3:PutObject',
              's3:GetObject',
              's3:ListMultipartUploadParts',
              's3:AbortMultipartUpload',
            ],
            Resource: pulumi.interpolate`${this.results.arn}/${DEFAULT_RESULT_PREFIX}/*`,
          },
          {
            Sid: 'EncryptResults',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: args.keyArn,
          },
        ]),
      },
      parent,
    );

    const definition = pulumi
      .all([this.shard.function.arn, this.results.name])
      .apply(([shardFunctionArn, resultBucket]) =>
        JSON.stringify(
          replayStateMachineDefinition({
            shardFunctionArn,
            resultBucket,
            maxConcurrency: concurrency,
            maxItemsPerBatch: args.maxItemsPerBatch ?? DEFAULT_ITEMS_PER_BATCH,
            toleratedFailurePercentage:
              args.toleratedFailurePercentage ?? DEFAULT_TOLERATED_FAILURE_PERCENTAGE,
          }),
        ),
      );
    this.stateMachine = new aws.sfn.StateMachine(
      name,
      { name: stateMachineName, type: 'STANDARD', roleArn: this.role.arn, definition },
      { parent: this, dependsOn: [policy] },
    );

    // The trail is listed by the operator (`--on aws`, before the start), read by the shards.
    this.bucketPolicyStatements = pulumi.jsonStringify([
      {
        Sid: 'FirstseenReplayOnAwsRead',
        Effect: 'Allow',
        Principal: { AWS: this.shard.role.arn },
        Action: 's3:GetObject',
        Resource: pulumi.interpolate`${trailArn}/${logsPrefix}*`,
      },
    ]);
    if (args.trailKmsKeyArn) {
      this.keyPolicyStatement = pulumi.jsonStringify({
        Sid: 'FirstseenReplayOnAwsDecrypt',
        Effect: 'Allow',
        Principal: { AWS: this.shard.role.arn },
        Action: 'kms:Decrypt',
        Resource: '*',
      });
    }
    this.registerOutputs({ stateMachineArn: this.stateMachine.arn });
  }
}
