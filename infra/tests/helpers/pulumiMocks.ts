import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';

export const ACCOUNT_ID = '111122223333';
export const HOME_REGION = 'eu-west-1';

/**
 * Resource inputs as the engine saw them: plain JSON of any shape, read by tests with
 * property access, so `unknown` would only add casts.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Inputs = Record<string, any>;

/** One resource the program registered, with its inputs as the engine received them. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Inputs;
}

/** A stable UUID-shaped id from a name (KMS key ids are UUIDs). */
function uuidOf(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The ARN AWS returns for a resource of this type, in the shape each service documents (the
 * IAM simulation in tests/unit matches them against IAM's resource types, so the shape matters).
 */
function fakeArn(type: string, name: string, inputs: Inputs): string {
  const [, module = 'x', kind = 'x'] = type.split(':');
  const service = module.split('/')[0];
  const physical = inputs['name'] ?? name;
  const at = `${HOME_REGION}:${ACCOUNT_ID}`;
  switch (type) {
    case 'aws:s3/bucket:Bucket':
      return `arn:aws:s3:::${physical}`;
    case 'aws:iam/role:Role':
      return `arn:aws:iam::${ACCOUNT_ID}:role${inputs['path'] ?? '/'}${physical}`;
    case 'aws:dynamodb/table:Table':
      return `arn:aws:dynamodb:${at}:table/${physical}`;
    case 'aws:cloudwatch/eventBus:EventBus':
      return `arn:aws:events:${at}:event-bus/${physical}`;
    case 'aws:cloudwatch/eventRule:EventRule':
      return inputs['eventBusName'] && inputs['eventBusName'] !== 'default'
        ? `arn:aws:events:${at}:rule/${inputs['eventBusName']}/${physical}`
        : `arn:aws:events:${at}:rule/${physical}`;
    case 'aws:kinesis/stream:Stream':
      return `arn:aws:kinesis:${at}:stream/${physical}`;
    case 'aws:kms/key:Key':
      return `arn:aws:kms:${at}:key/${uuidOf(name)}`;
    case 'aws:sqs/queue:Queue':
      return `arn:aws:sqs:${at}:${physical}`;
    case 'aws:sns/topic:Topic':
      return `arn:aws:sns:${at}:${physical}`;
    case 'aws:secretsmanager/secret:Secret':
      // Secrets Manager appends a hyphen and six random characters.
      return `arn:aws:secretsmanager:${at}:secret:${physical}-AbCdEf`;
    case 'aws:lambda/function:Function':
      return `arn:aws:lambda:${at}:function:${physical}`;
    case 'aws:sfn/stateMachine:StateMachine':
      return `arn:aws:states:${at}:stateMachine:${physical}`;
    case 'aws:cloudwatch/logGroup:LogGroup':
      return `arn:aws:logs:${at}:log-group:${physical}`;
    case 'aws:cloudformation/stackSet:StackSet':
      return `arn:aws:cloudformation:${at}:stackset/${physical}:${uuidOf(name)}`;
    default:
      return `arn:aws:${service}:${at}:${kind.toLowerCase()}/${physical}`;
  }
}

/**
 * Installs Pulumi mocks (pulumi/examples testing-unit-ts-mocks-jest) that record every
 * resource and answer the provider functions the program calls. Call before importing the
 * code under test.
 */
export function installMocks(): RegisteredResource[] {
  const registered: RegisteredResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: Inputs = {
          ...args.inputs,
          arn: fakeArn(args.type, args.name, args.inputs),
        };
        if (args.type === 'aws:dynamodb/table:Table')
          state['streamArn'] = `${state['arn']}/stream/2025-01-01T00:00:00.000`;
        if (args.type === 'aws:s3/bucket:Bucket')
          state['bucket'] = `${args.inputs['bucketPrefix'] ?? args.name}abc123`;
        if (args.type === 'aws:sqs/queue:Queue')
          state['url'] = `https://sqs.${HOME_REGION}.amazonaws.com/${ACCOUNT_ID}/${args.inputs['name']}`;
        if (args.type === 'aws:kms/key:Key') state['keyId'] = String(state['arn']).split('/')[1];
        return { id: `${args.name}-id`, state };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        switch (args.token) {
          case 'aws:index/getCallerIdentity:getCallerIdentity':
            return {
              accountId: ACCOUNT_ID,
              arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`,
              userId: 'AIDA',
              id: ACCOUNT_ID,
            };
          case 'aws:index/getPartition:getPartition':
            return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
          case 'aws:index/getRegion:getRegion':
            return { region: HOME_REGION, name: HOME_REGION, id: HOME_REGION };
          default:
            return args.inputs;
        }
      },
    },
    'firstseen',
    'test',
    false,
  );
  return registered;
}

/** Waits until every resource registration (and the outputs feeding it) has completed. */
export async function settle(): Promise<void> {
  // `waitForRPCs` is internal to the SDK; it is exactly "every pending registration is done".
  const settings = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs?: () => Promise<void> };
  if (settings.waitForRPCs) await settings.waitForRPCs();
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

export function byType(resources: RegisteredResource[], type: string): RegisteredResource[] {
  return resources.filter((r) => r.type === type);
}

export function one(resources: RegisteredResource[], type: string, name: string): RegisteredResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) {
    const names = byType(resources, type).map((r) => r.name);
    throw new Error(`no ${type} named ${name}; have: ${names.join(', ')}`);
  }
  return found;
}

/** Every statement of every IAM-style policy document in the registered resources. */
export interface FoundStatement {
  resource: string;
  statement: {
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    [k: string]: unknown;
  };
}

export function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
