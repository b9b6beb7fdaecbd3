import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type * as pulumi from '@pulumi/pulumi';
import { ACCOUNT_ID, HOME_REGION, installMocks, one, settle } from '../helpers/pulumiMocks';

// The optional ReplayOnAws component, read from the Pulumi mocks: the state machine is the
// definition packages/replay builds, and each role allows exactly the calls it makes (offline IAM
// evaluation with @cloud-copilot/iam-simulate, as in iamSimulation.test.ts).
const registered = installMocks();
const ORG = 'o-abcdefghij';
const TRAIL = 'org-trail';
const TRAIL_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1111-2222';
const at = `${HOME_REGION}:${ACCOUNT_ID}`;

const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

type Policy = { Version: string; Statement: Record<string, unknown>[] };
const resolved = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

let shardPolicy: Policy;
let machinePolicy: Policy;
// biome-ignore lint/suspicious/noExplicitAny: the definition is walked as plain JSON
let definition: Record<string, any>;
let shardArn: string;
let machineArn: string;
let resultsArn: string;
let resultsName: string;
let env: Record<string, string>;

beforeAll(async () => {
  const handlers = fs.mkdtempSync(path.join(os.tmpdir(), 'firstseen-handlers-'));
  fs.mkdirSync(path.join(handlers, 'replay-shard', 'dist'), { recursive: true });
  fs.writeFileSync(
    path.join(handlers, 'replay-shard', 'dist', 'index.js'),
    'exports.handler = async () => ({});\n',
  );
  const { ReplayOnAws } = await import('../../src');
  const component = new ReplayOnAws('rpa', {
    handlersDir: handlers,
    configJson: '{}',
    trailBucketName: TRAIL,
    trailKmsKeyArn: TRAIL_KEY,
    orgId: ORG,
    baselineTable: { name: 'firstseen-baseline', arn: `arn:aws:dynamodb:${at}:table/firstseen-baseline` },
    keyArn: `arn:aws:kms:${at}:key/aaaa-bbbb`,
    accountId: ACCOUNT_ID,
    logRetentionDays: 90,
    concurrency: 40,
    maxWriteUnitsPerSecond: 2000,
  });
  await settle();
  shardPolicy = JSON.parse(
    one(registered, 'aws:iam/rolePolicy:RolePolicy', 'rpa-shard-policy').inputs['policy'],
  );
  machinePolicy = JSON.parse(one(registered, 'aws:iam/rolePolicy:RolePolicy', 'rpa-policy').inputs['policy']);
  const machine = one(registered, 'aws:sfn/stateMachine:StateMachine', 'rpa').inputs;
  definition = JSON.parse(machine['definition']);
  shardArn = await resolved(component.shard.function.arn);
  machineArn = await resolved(component.stateMachine.arn);
  resultsArn = await resolved(component.results.arn);
  resultsName = await resolved(component.results.name);
  env = one(registered, 'aws:lambda/function:Function', 'rpa-shard').inputs['environment'].variables;
}, 60_000);

async function decide(
  policy: Policy,
  action: string,
  resource: string,
  context: Record<string, string> = {},
) {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/role/session`,
        action,
        resource: { resource, accountId: ACCOUNT_ID },
        contextVariables: { 'aws:SecureTransport': 'true', ...context },
      },
      identityPolicies: [{ name: 'role-policy', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // KMS needs a key policy: the default one, which delegates to the account's IAM policies.
      resourcePolicy: resource.startsWith('arn:aws:kms:') ? DEFAULT_KEY_POLICY : undefined,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`${action} on ${resource}: ${result.errors.message}`);
  return result.overallResult;
}

describe('ReplayOnAws', () => {
  it('deploys the state machine packages/replay builds, with the configured concurrency and the shard function', () => {
    const map = definition.States.SeedTrailObjects;
    expect(map.ItemProcessor.ProcessorConfig.Mode).toBe('DISTRIBUTED');
    expect(map.MaxConcurrency).toBe(40);
    expect(map.ItemProcessor.States.SeedBatch.Parameters.FunctionName).toBe(shardArn);
    expect(map.ResultWriter.Parameters.Bucket).toBe(resultsName);
    expect(map.ItemReader.Resource).toBe('arn:aws:states:::s3:getObject');
  });

  it("gives each shard its share of the seed's write units", () => {
    expect(env['FIRSTSEEN_SEED_WRITES_PER_SECOND']).toBe('50'); // 2000 WCU/s over 40 batches at once
    expect(env['FIRSTSEEN_BASELINE_TABLE']).toBe('firstseen-baseline');
  });

  it('reserves exactly the map concurrency for the shard function, so no more shards ever run at once', () => {
    const shard = one(registered, 'aws:lambda/function:Function', 'rpa-shard').inputs;
    expect(shard['reservedConcurrentExecutions']).toBe(40);
    expect(definition.States.SeedTrailObjects.MaxConcurrency).toBe(40);
  });

  it('splits the write share so that the shards together never exceed it, and refuses a concurrency above it', async () => {
    const { seedWriteShare } = await import('../../src/seedWriteShare');
    for (const [concurrency, total] of [
      [40, 2000],
      [300, 1000],
      [999, 1000],
      [1000, 1000],
      [7, 10],
    ] as const) {
      const share = seedWriteShare({ concurrency, maxWriteUnitsPerSecond: total });
      expect(share.perShard).toBeGreaterThanOrEqual(1);
      expect(share.perShard * share.concurrency).toBeLessThanOrEqual(total);
    }
    expect(seedWriteShare({})).toMatchObject({ concurrency: 100, writeUnitsPerSecond: 1000, perShard: 10 });
    expect(() => seedWriteShare({ concurrency: 200, maxWriteUnitsPerSecond: 150 })).toThrow(
      'firstseen:replayOnAws: concurrency 200 exceeds maxWriteUnitsPerSecond 150 (each shard needs at least 1 write unit a second): lower concurrency to at most 150 or raise maxWriteUnitsPerSecond to at least 200',
    );
  });

  it('lets replay-shard read the trail and seed the baseline, and nothing else', async () => {
    const allowed: [string, string][] = [
      [
        's3:GetObject',
        `arn:aws:s3:::${TRAIL}/AWSLogs/${ORG}/111122223333/CloudTrail/eu-west-1/2024/01/01/x.json.gz`,
      ],
      ['kms:Decrypt', TRAIL_KEY],
      ['dynamodb:PutItem', `arn:aws:dynamodb:${at}:table/firstseen-baseline`],
      ['dynamodb:UpdateItem', `arn:aws:dynamodb:${at}:table/firstseen-baseline`],
    ];
    for (const [action, resource] of allowed)
      expect([action, await decide(shardPolicy, action, resource)]).toEqual([action, 'Allowed']);
    const denied: [string, string][] = [
      ['s3:GetObject', `arn:aws:s3:::${TRAIL}/elsewhere/x.json.gz`],
      ['s3:PutObject', `arn:aws:s3:::${TRAIL}/AWSLogs/${ORG}/x.json.gz`],
      ['dynamodb:DeleteItem', `arn:aws:dynamodb:${at}:table/firstseen-baseline`],
      ['dynamodb:PutItem', `arn:aws:dynamodb:${at}:table/firstseen-alerts`],
      ['s3:ListBucket', `arn:aws:s3:::${TRAIL}`],
      ['states:StartExecution', machineArn],
    ];
    for (const [action, resource] of denied)
      expect([action, await decide(shardPolicy, action, resource)]).not.toEqual([action, 'Allowed']);
  });

  it("lets the state machine read the range's manifest, invoke the shard, run its children and write the results, and nothing else", async () => {
    const allowed: [string, string, Record<string, string>?][] = [
      ['s3:GetObject', `${resultsArn}/replay-manifests/seed-2024-01-01T00-00-00-000Z-abc123.jsonl`],
      ['kms:Decrypt', `arn:aws:kms:${at}:key/aaaa-bbbb`],
      ['lambda:InvokeFunction', shardArn],
      ['states:StartExecution', machineArn],
      ['states:DescribeExecution', `arn:aws:states:${at}:execution:firstseen-replay:seed-1`],
      ['states:DescribeExecution', `arn:aws:states:${at}:execution:firstseen-replay/seed:0f1e2d3c-child`],
      ['states:StopExecution', `arn:aws:states:${at}:execution:firstseen-replay/seed:0f1e2d3c-child`],
      ['s3:PutObject', `${resultsArn}/replay-results/run/manifest.json`],
      ['kms:GenerateDataKey', `arn:aws:kms:${at}:key/aaaa-bbbb`],
    ];
    for (const [action, resource, context] of allowed)
      expect([action, await decide(machinePolicy, action, resource, context)]).toEqual([action, 'Allowed']);
    const denied: [string, string, Record<string, string>?][] = [
      // The operator lists the trail before the start: the state machine never does.
      ['s3:ListBucket', `arn:aws:s3:::${TRAIL}`, { 's3:prefix': `AWSLogs/${ORG}/` }],
      ['s3:GetObject', `arn:aws:s3:::${TRAIL}/AWSLogs/${ORG}/x.json.gz`],
      ['s3:GetObject', `${resultsArn}/elsewhere/x.jsonl`],
      ['s3:PutObject', `${resultsArn}/replay-manifests/x.jsonl`],
      ['lambda:InvokeFunction', `arn:aws:lambda:${at}:function:firstseen-detector`],
      ['states:StartExecution', `arn:aws:states:${at}:stateMachine:someone-else`],
      ['states:DescribeExecution', `arn:aws:states:${at}:execution:someone-else:seed-1`],
      ['s3:PutObject', `${resultsArn}/elsewhere/x.json`],
      ['dynamodb:PutItem', `arn:aws:dynamodb:${at}:table/firstseen-baseline`],
    ];
    for (const [action, resource, context] of denied)
      expect([action, await decide(machinePolicy, action, resource, context)]).not.toEqual([
        action,
        'Allowed',
      ]);
  });
});
