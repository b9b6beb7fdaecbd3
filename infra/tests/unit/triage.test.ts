import type { FirstseenPipeline as PipelineClass } from '../../src/FirstseenPipeline';
import { fakeHandlersDir } from '../helpers/fakeHandlers';
import { asList, byType, installMocks, one, type RegisteredResource, settle } from '../helpers/pulumiMocks';

// Mocks must be installed before the components (and @pulumi/aws) are loaded.
const registered = installMocks();

const T = {
  fn: 'aws:lambda/function:Function',
  url: 'aws:lambda/functionUrl:FunctionUrl',
  permission: 'aws:lambda/permission:Permission',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  secret: 'aws:secretsmanager/secret:Secret',
};

let pipeline: PipelineClass;
const mine = (): RegisteredResource[] => registered.filter((r) => r.name.startsWith('tr-'));
const statements = (fn: string) =>
  JSON.parse(one(registered, T.rolePolicy, `tr-${fn}-policy`).inputs['policy']).Statement as {
    Sid: string;
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string[]>>;
  }[];

beforeAll(async () => {
  const { FirstseenPipeline } = await import('../../src/FirstseenPipeline');
  const { parseConfig } = await import('@firstseen/core');
  pipeline = new FirstseenPipeline('tr', {
    orgId: 'o-abcdefghij',
    config: parseConfig({
      owners: [{ principal: 'role/payments-*', pagerDutyRoutingKeySecret: 'PAYMENTS_PD_KEY' }],
    }),
    handlersDir: fakeHandlersDir(),
    triage: { signingSecretName: 'SLACK_SIGNING', expectedScope: 'account' },
  });
  await settle();
});

describe('the triage function', () => {
  it('has a public function URL (auth NONE) whose requests are verified in code', async () => {
    const url = one(registered, T.url, 'tr-triage-url').inputs;
    expect(url).toMatchObject({ authorizationType: 'NONE', functionName: 'firstseen-triage' });
    const perms = byType(mine(), T.permission).filter((p) => p.name.startsWith('tr-triage-url'));
    expect(perms.map((p) => [p.inputs['action'], p.inputs['principal']]).sort()).toEqual([
      ['lambda:InvokeFunction', '*'],
      ['lambda:InvokeFunctionUrl', '*'],
    ]);
    expect(
      perms.find((p) => p.inputs['action'] === 'lambda:InvokeFunction')?.inputs['invokedViaFunctionUrl'],
    ).toBe(true);
    expect(pipeline.triageUrl).toBeDefined();
  });

  it('names its signing secret, secret source and expected scope in the environment', () => {
    const env = one(registered, T.fn, 'tr-triage').inputs['environment'].variables;
    expect(env).toMatchObject({
      FIRSTSEEN_SLACK_SIGNING_SECRET_NAME: 'SLACK_SIGNING',
      FIRSTSEEN_SECRETS: 'secretsmanager',
      FIRSTSEEN_TRIAGE_EXPECTED_SCOPE: 'account',
    });
  });

  it('keeps the signing secret in Secrets Manager, encrypted with the pipeline key, without a value in state', () => {
    const secret = byType(mine(), T.secret).find((s) => s.inputs['name'] === 'SLACK_SIGNING');
    expect(secret?.inputs['kmsKeyId']).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/);
    expect(JSON.stringify(secret?.inputs)).not.toMatch(/secretString/i);
  });

  it('may read only the signing secret and the PagerDuty routing keys', () => {
    const s = statements('triage').find((x) => x.Sid === 'ReadTriageSecrets')!;
    expect(asList(s.Action)).toEqual(['secretsmanager:GetSecretValue']);
    expect(
      asList(s.Resource)
        .map((arn) => arn.split(':secret:')[1]?.replace(/-[A-Za-z0-9]{6}$/, ''))
        .sort(),
    ).toEqual(['FIRSTSEEN_PAGERDUTY_ROUTING_KEY', 'PAYMENTS_PD_KEY', 'SLACK_SIGNING']);
  });

  it('gets and updates alert items, and touches only s# and t# items in the baseline table', () => {
    const byResource = statements('triage').filter((x) =>
      asList(x.Action).some((a) => a.startsWith('dynamodb:')),
    );
    const alerts = byResource.find((x) => asList(x.Resource).every((r) => r.endsWith('/firstseen-alerts')))!;
    expect(asList(alerts.Action).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    const baseline = byResource.find((x) =>
      asList(x.Resource).every((r) => r.endsWith('/firstseen-baseline')),
    )!;
    expect(asList(baseline.Action).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(baseline.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['s#*', 't#*'] },
    });
    expect(byResource).toHaveLength(2);
  });

  it('does not let the notifier functions read the signing secret', () => {
    for (const fn of ['alert-dispatcher', 'redrive']) {
      const s = statements(fn).find((x) => x.Sid === 'ReadOwnSecrets')!;
      expect(asList(s.Resource).some((arn) => arn.includes(':secret:SLACK_SIGNING-'))).toBe(false);
    }
  });
});
