import * as fs from 'node:fs';
import * as path from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { CONFIG_FILE_NAME, LAMBDA_TASK_ROOT } from './constants';
import { InfraConfigError } from './errors';
import { assumeRolePolicy, policyJson, type Statement } from './policyDocument';

export interface FunctionSettings {
  /** Memory in MB (also buys CPU). */
  memoryMb?: number;
  timeoutSeconds?: number;
  /** Reserved concurrency; unset = the account's unreserved pool. */
  reservedConcurrency?: number;
}

/** How Lambda reads a stream: the event source mapping's batching and failure settings. */
export interface StreamConsumerSettings extends FunctionSettings {
  batchSize?: number;
  batchingWindowSeconds?: number;
  /** Concurrent batches per shard (1-10); records of one partition key stay in order. */
  parallelizationFactor?: number;
  /** Retries of a failing batch before its records go to the failure bucket (bounded: 0-10000). */
  maximumRetryAttempts?: number;
  /** Records older than this go to the failure bucket instead of blocking the shard (60-604800). */
  maximumRecordAgeSeconds?: number;
  /** IteratorAge alarm threshold in milliseconds. */
  iteratorAgeAlarmMs?: number;
}

export interface ScheduledSettings extends FunctionSettings {
  /** An EventBridge schedule expression, e.g. `rate(15 minutes)`. */
  schedule?: string;
}

/**
 * The files of a function's zip: the esbuild bundle (and its source map when present) from
 * `<handlerDir>/dist`, and the validated config as config.json beside it.
 */
export function bundleAssets(handlerDir: string, configJson: string): Record<string, pulumi.asset.Asset> {
  const bundle = path.join(handlerDir, 'dist', 'index.js');
  if (!fs.existsSync(bundle)) {
    throw new InfraConfigError(`${bundle} does not exist: run \`npm run build\` before \`pulumi up\``);
  }
  const assets: Record<string, pulumi.asset.Asset> = {
    'index.js': new pulumi.asset.FileAsset(bundle),
    [CONFIG_FILE_NAME]: new pulumi.asset.StringAsset(configJson),
  };
  if (fs.existsSync(`${bundle}.map`)) assets['index.js.map'] = new pulumi.asset.FileAsset(`${bundle}.map`);
  return assets;
}

export interface FirstseenFunctionArgs extends FunctionSettings {
  /** Physical function name. */
  functionName: string;
  /** The handler folder, e.g. `<repo>/handlers/detector`; its `dist/index.js` is the bundle. */
  handlerDir: string;
  /** The validated config, written into the bundle as config.json. */
  configJson: string;
  environment?: Record<string, pulumi.Input<string>>;
  /** What the function may do, beyond writing its own logs. */
  statements: pulumi.Input<Statement>[];
  logRetentionDays: number;
  accountId: pulumi.Input<string>;
  description: string;
}

/**
 * One Lambda function of firstseen: Node.js 22 on arm64, the esbuild bundle from
 * `npm run build` plus the validated config as `config.json` in the same zip (environment
 * variables hold only 4 KB, so only the file's path travels in the environment), its own log
 * group, and a role allowed exactly `statements` plus writing to that log group.
 */
export class FirstseenFunction extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.RolePolicy;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: FirstseenFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firstseen:compute:Function', name, {}, opts);
    const parent = { parent: this };

    const assets = bundleAssets(args.handlerDir, args.configJson);

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${args.functionName}`, retentionInDays: args.logRetentionDays },
      parent,
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com', args.accountId),
        description: args.description,
      },
      parent,
    );
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: policyJson([
          {
            Sid: 'WriteOwnLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: pulumi.interpolate`${this.logGroup.arn}:log-stream:*`,
          },
          ...args.statements,
        ]),
      },
      parent,
    );
    this.function = new aws.lambda.Function(
      name,
      {
        name: args.functionName,
        description: args.description,
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        code: new pulumi.asset.AssetArchive(assets),
        role: this.role.arn,
        memorySize: args.memoryMb ?? 512,
        timeout: args.timeoutSeconds ?? 60,
        reservedConcurrentExecutions: args.reservedConcurrency,
        loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
        environment: {
          variables: {
            NODE_OPTIONS: '--enable-source-maps',
            FIRSTSEEN_CONFIG_PATH: `${LAMBDA_TASK_ROOT}/${CONFIG_FILE_NAME}`,
            ...args.environment,
          },
        },
      },
      { parent: this, dependsOn: [this.policy] },
    );

    this.registerOutputs({ arn: this.function.arn });
  }
}
