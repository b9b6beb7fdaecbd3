import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeHandlersDir } from '../helpers/fakeHandlers';
import { unknownActions } from '../helpers/iamActions';
import { installMocks, settle } from '../helpers/pulumiMocks';

// The deployer's IAM policy (infra/README.md "Deployer rights"), generated from the resource
// types the program registers under mocks for each configuration, through the maintained table
// in src/deployerPolicy.ts, and committed as infra/deployer-policy*.json. Regenerate after an
// intended change with:
//   FIRSTSEEN_UPDATE_DEPLOYER_POLICY=1 npx jest infra/tests/unit/deployerPolicy.test.ts
const registered = installMocks();
const INFRA_DIR = path.resolve(__dirname, '..', '..');

type Configuration =
  | 'base'
  | 'security-account-stacks'
  | 'alarm-email'
  | 'replay'
  | 'trail-feed'
  | 'replay-on-aws';
// Replay access needs nothing beyond the base policy (asserted below), so it has no file.
const FILES: Partial<Record<Configuration, string>> = {
  base: 'deployer-policy.json',
  'security-account-stacks': 'deployer-policy-security-account-stacks.json',
  'alarm-email': 'deployer-policy-alarm-email.json',
  'trail-feed': 'deployer-policy-trail-feed.json',
  'replay-on-aws': 'deployer-policy-replay-on-aws.json',
};
const typesOf: Partial<Record<Configuration, string[]>> = {};

beforeAll(async () => {
  const { FirstseenPipeline, OrganizationForwarding, ReplayAccess, ReplayOnAws } = await import('../../src');
  const { parseConfig } = await import('@firstseen/core');
  const orgId = 'o-abcdefghij';
  const config = parseConfig({
    routing: {
      destinations: {
        slack: {
          type: 'slack',
          secret: 'firstseen/slack',
          interactive: true,
          teamIds: ['T0123ABCD'],
          appId: 'A0456EFGH',
        },
        pagerduty: { type: 'pagerduty', secret: 'firstseen/pagerduty' },
      },
    },
    owners: [{ principal: 'role/p-*', pagerDutyRoutingKeySecret: 'firstseen/pd' }],
  });
  const run = async (c: Configuration, build: () => void): Promise<void> => {
    const from = registered.length;
    build();
    await settle();
    typesOf[c] = [...new Set(registered.slice(from).map((r) => r.type))];
  };
  await run('base', () => {
    const p = new FirstseenPipeline('base', { orgId, config, handlersDir: fakeHandlersDir() });
    new OrganizationForwarding('base-fwd', {
      centralBusArn: p.busArn,
      targetOus: ['r-abcd'],
      regions: ['us-east-1', 'eu-west-1'],
      coverage: 'all',
      includeSecurityAccount: false,
    });
  });
  await run('security-account-stacks', () => {
    new OrganizationForwarding('self-fwd', {
      centralBusArn: 'arn:aws:events:eu-west-1:111122223333:event-bus/firstseen-org',
      targetOus: ['r-abcd'],
      regions: ['us-east-1'],
      coverage: 'all',
    });
  });
  await run('alarm-email', () => {
    new FirstseenPipeline('mail', {
      orgId,
      config,
      handlersDir: fakeHandlersDir(),
      alarmEmail: 'a@example.com',
    });
  });
  await run('trail-feed', () => {
    // Both ways in: the bucket's own notification (bucket in this account) and the trail's topic.
    for (const [n, notification] of [
      ['trs3', 's3'],
      ['trsns', 'sns'],
    ] as const)
      new FirstseenPipeline(n, {
        orgId,
        namePrefix: n,
        config: parseConfig({ ...config, feed: 'both' }),
        handlersDir: fakeHandlersDir(),
        trail: {
          bucketName: 'org-trail',
          bucketAccountId: '111122223333',
          notification,
          snsTopicArn: notification === 'sns' ? 'arn:aws:sns:eu-west-1:999988887777:trail' : undefined,
        },
        stackAccountId: '111122223333',
      });
  });
  await run('replay', () => {
    new ReplayAccess('rep', {
      orgId,
      trailBucketName: 'trail',
      trailKmsKeyArn: 'arn:aws:kms:us-east-1:999988887777:key/k',
      trustedPrincipalArns: ['arn:aws:iam::111122223333:root'],
    });
  });
  await run('replay-on-aws', () => {
    const handlersDir = fakeHandlersDir();
    fs.mkdirSync(path.join(handlersDir, 'replay-shard', 'dist'), { recursive: true });
    fs.writeFileSync(
      path.join(handlersDir, 'replay-shard', 'dist', 'index.js'),
      'exports.handler = async () => ({});\n',
    );
    new ReplayOnAws('rpa', {
      handlersDir,
      configJson: '{}',
      trailBucketName: 'trail',
      orgId,
      baselineTable: { name: 'b', arn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/b' },
      keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k',
      accountId: '111122223333',
      logRetentionDays: 90,
    });
  });
});

async function generated(): Promise<Record<Configuration, unknown>> {
  const { deployerPolicy } = await import('../../src/deployerPolicy');
  const base = deployerPolicy(typesOf.base!);
  const addOn = (c: Configuration) => deployerPolicy(typesOf[c]!, { minus: base });
  return {
    base,
    'security-account-stacks': addOn('security-account-stacks'),
    'alarm-email': addOn('alarm-email'),
    replay: addOn('replay'),
    'trail-feed': addOn('trail-feed'),
    'replay-on-aws': addOn('replay-on-aws'),
  };
}

describe('the deployer policy', () => {
  it('has a row in the table for every resource type the program registers', async () => {
    const { typesWithoutActions } = await import('../../src/deployerPolicy');
    const all = Object.values(typesOf).flat();
    expect(all.length).toBeGreaterThan(25);
    expect(typesWithoutActions(all)).toEqual([]);
  });

  it('refuses to generate a policy for a resource type the table lacks', async () => {
    const { deployerPolicy } = await import('../../src/deployerPolicy');
    expect(() => deployerPolicy([...typesOf.base!, 'aws:ec2/vpc:Vpc'])).toThrow(
      /no deployer actions for aws:ec2\/vpc:Vpc: add a row to DEPLOYER_ACTIONS/,
    );
  });

  it('has no table row the program no longer uses', async () => {
    const { DEPLOYER_ACTIONS } = await import('../../src/deployerPolicy');
    const used = new Set(Object.values(typesOf).flat());
    expect(Object.keys(DEPLOYER_ACTIONS).filter((t) => !used.has(t))).toEqual([]);
  });

  it('grants only actions that exist in AWS IAM data', async () => {
    const { DEPLOYER_ACTIONS, PROVIDER_ACTIONS } = await import('../../src/deployerPolicy');
    const actions = [
      ...PROVIDER_ACTIONS,
      'iam:PassRole',
      ...Object.values(DEPLOYER_ACTIONS).flatMap((r) => r.actions),
    ];
    expect(await unknownActions(actions)).toEqual([]);
  });

  it('puts optional features in add-on policies, without repeating the base policy', async () => {
    const g = await generated();
    const actions = (doc: unknown) =>
      (doc as { Statement: { Action: string[] }[] }).Statement.flatMap((s) => s.Action);
    expect(actions(g.base)).toEqual(
      expect.arrayContaining(['cloudformation:CreateStackSet', 'dynamodb:CreateTable']),
    );
    expect(actions(g.base)).not.toContain('cloudformation:CreateStack');
    expect(actions(g.base)).not.toContain('sns:Subscribe');
    expect(actions(g['security-account-stacks'])).toContain('cloudformation:CreateStack');
    expect(actions(g['alarm-email'])).toEqual(expect.arrayContaining(['sns:Subscribe', 'sns:Unsubscribe']));
    expect(actions(g.replay)).toEqual([]); // a role and its inline policy: already in the base
    // The queues, their policies and the bucket notification need nothing the base lacks.
    expect(actions(g['trail-feed'])).toEqual(expect.arrayContaining(['sns:Subscribe', 'sns:Unsubscribe']));
    expect(actions(g['replay-on-aws'])).toEqual(
      expect.arrayContaining(['states:CreateStateMachine', 'states:DeleteStateMachine', 'iam:PassRole']),
    );
    // iam:PassRole recurs, towards another service (its condition): not a repetition.
    for (const c of [
      'security-account-stacks',
      'alarm-email',
      'replay',
      'trail-feed',
      'replay-on-aws',
    ] as const)
      expect(actions(g[c]).filter((a) => a !== 'iam:PassRole' && actions(g.base).includes(a))).toEqual([]);
  });

  it('passes roles only to the services that use them', async () => {
    const g = (await generated()).base as { Statement: { Action: string[]; Condition?: unknown }[] };
    const pass = g.Statement.filter((s) => s.Action.includes('iam:PassRole'));
    expect(pass).toEqual([
      expect.objectContaining({
        Action: ['iam:PassRole'],
        Condition: {
          StringEquals: { 'iam:PassedToService': ['events.amazonaws.com', 'lambda.amazonaws.com'] },
        },
      }),
    ]);
  });

  it('fits in one customer managed policy (6,144 characters, whitespace not counted)', async () => {
    for (const doc of Object.values(await generated()))
      expect(JSON.stringify(doc).length).toBeLessThanOrEqual(6_144);
  });

  it.each(Object.keys(FILES) as Configuration[])('is committed and up to date (%s)', async (c) => {
    const file = path.join(INFRA_DIR, FILES[c]!);
    const doc = (await generated())[c];
    if (process.env['FIRSTSEEN_UPDATE_DEPLOYER_POLICY'] === '1')
      fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    expect(fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : `${file} is missing`).toEqual(
      doc,
    );
  });
});
