import * as pulumi from '@pulumi/pulumi';
import { checkStackFile } from '../../src/stackFile';
import { installMocks, settle } from '../helpers/pulumiMocks';

// The program (index.ts, what `pulumi up` runs) under mocks, with stack config set as the engine
// would set it: it must stop on the same problems, with the same message, as `npm run check`.
const registered = installMocks();

const STACK: Record<string, string> = {
  'aws:region': 'eu-west-1',
  'firstseen:orgId': 'o-a1b2c3d4e5',
  'firstseen:targetOus': '["r-ab12"]',
  'firstseen:regions': '["us-east-1","eu-west-9"]',
  'firstseen:alarmEmial': 'secops@example.com',
  'firstseen:detector': '{"batchSize":200,"batchSizes":3}',
};

it('stops `pulumi up` with the message `npm run check` prints for the same stack file', async () => {
  pulumi.runtime.setAllConfig(STACK);
  let program = '';
  try {
    // index.ts exports the program as an async function (it looks up the enabled regions).
    let run: () => Promise<unknown> = async () => undefined;
    jest.isolateModules(() => {
      run = require('../../index') as () => Promise<unknown>;
    });
    await run();
  } catch (err) {
    program = (err as Error).message;
  }
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstseen-program-'));
  const file = path.join(dir, 'Pulumi.prod.yaml');
  fs.writeFileSync(file, ['config:', ...Object.entries(STACK).map(([k, v]) => `  ${k}: '${v}'`)].join('\n'));
  let offline = '';
  try {
    checkStackFile(file);
  } catch (err) {
    offline = (err as Error).message;
  }
  expect(program.split('\n')).toEqual([
    expect.stringMatching(
      /^firstseen:alarmEmial is not a firstseen setting \(did you mean firstseen:alarmEmail\?/,
    ),
    expect.stringMatching(/^firstseen:regions: not an AWS region: eu-west-9/),
    'firstseen:detector: Unrecognized key: "batchSizes"',
  ]);
  expect(offline).toBe(program);
});

it('deploys the trail feed and no forwarding StackSet with feed trail (the bucket in this account: its notification too)', async () => {
  const { ACCOUNT_ID } = await import('../helpers/pulumiMocks');
  pulumi.runtime.setAllConfig({
    'aws:region': 'eu-west-1',
    'firstseen:orgId': 'o-a1b2c3d4e5',
    'firstseen:targetOus': '["r-ab12"]',
    'firstseen:regions': '["us-east-1"]',
    'firstseen:detection': '{"feed":"trail"}',
    'firstseen:trail': JSON.stringify({ bucketName: 'org-trail', bucketAccountId: ACCOUNT_ID }),
  });
  const from = registered.length;
  let run: () => Promise<Record<string, unknown>> = async () => ({});
  jest.isolateModules(() => {
    run = require('../../index') as () => Promise<Record<string, unknown>>;
  });
  const outputs = await run();
  await settle();
  const types = registered.slice(from).map((r) => r.type);
  expect(types).not.toContain('aws:cloudformation/stackSet:StackSet');
  expect(types).toContain('aws:s3/bucketNotification:BucketNotification');
  expect(types).toContain('aws:lambda/eventSourceMapping:EventSourceMapping');
  expect(outputs['stackSetName']).toBeUndefined();
  expect(outputs['trailAccountTemplate']).toBeDefined();
});
