import type { TrailFeedSettings } from '../../src/pipeline/trailFeed';
import { readStackSettings } from '../../src/stackSettings';
import { fakeHandlersDir } from '../helpers/fakeHandlers';
import { ACCOUNT_ID, installMocks, type RegisteredResource, settle } from '../helpers/pulumiMocks';

// The second feed's AWS side (docs/semantics.md "Second feed"), under Pulumi mocks: the queue,
// its dead-letter queue and policy, the trail reader and its event source mapping, the
// subscription this stack can make, and the template for what the trail's account must add.
const registered = installMocks();

const ORG_ID = 'o-abcdefghij';
const LOG_ARCHIVE = '999988887777';
const T = {
  queue: 'aws:sqs/queue:Queue',
  queuePolicy: 'aws:sqs/queuePolicy:QueuePolicy',
  redriveAllow: 'aws:sqs/redriveAllowPolicy:RedriveAllowPolicy',
  esm: 'aws:lambda/eventSourceMapping:EventSourceMapping',
  fn: 'aws:lambda/function:Function',
  notification: 'aws:s3/bucketNotification:BucketNotification',
  subscription: 'aws:sns/topicSubscription:TopicSubscription',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
};

const resolved = <T>(o: { apply: (f: (v: T) => T) => unknown }): Promise<T> =>
  new Promise((resolve) =>
    o.apply((v) => {
      resolve(v);
      return v;
    }),
  );

/** Builds a pipeline named `name` and returns the resources registered under it and its template. */
async function deploy(
  name: string,
  feed: 'eventbridge' | 'trail' | 'both',
  trail: TrailFeedSettings | undefined,
  stackAccountId?: string,
) {
  const { FirstseenPipeline } = await import('../../src/FirstseenPipeline');
  const { parseConfig } = await import('@firstseen/core');
  const from = registered.length;
  const pipeline = new FirstseenPipeline(name, {
    orgId: ORG_ID,
    config: parseConfig({ feed }),
    handlersDir: fakeHandlersDir(),
    trail,
    stackAccountId,
  });
  await settle();
  const mine = registered.slice(from);
  const template = pipeline.trailAccountTemplate
    ? JSON.parse(await resolved(pipeline.trailAccountTemplate))
    : undefined;
  return { pipeline, mine, template };
}

const byType = (rs: RegisteredResource[], type: string) => rs.filter((r) => r.type === type);
const s3Trail: TrailFeedSettings = {
  bucketName: 'org-trail',
  bucketAccountId: LOG_ARCHIVE,
  notification: 's3',
  kmsKeyArn: `arn:aws:kms:eu-west-1:${LOG_ARCHIVE}:key/0f0e0d0c-0b0a-0908-0706-050403020100`,
};

describe('the trail feed (feed both, bucket in the log archive account, S3 notifications)', () => {
  let mine: RegisteredResource[];
  let template: Record<string, unknown>;
  beforeAll(async () => {
    ({ mine, template } = await deploy('cross', 'both', s3Trail, ACCOUNT_ID));
  });

  it('creates the queue with SSE, a redrive to its dead-letter queue and a visibility timeout six times the reader timeout', () => {
    const queue = mine.find((r) => r.type === T.queue && r.name === 'cross-trail-queue')!;
    const dlq = mine.find((r) => r.type === T.queue && r.name === 'cross-trail-dlq')!;
    expect(queue.inputs['sqsManagedSseEnabled']).toBe(true);
    expect(dlq.inputs['sqsManagedSseEnabled']).toBe(true);
    expect(queue.inputs['visibilityTimeoutSeconds']).toBe(6 * 120);
    expect(JSON.parse(queue.inputs['redrivePolicy'])).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:firstseen-trail-dlq`,
      maxReceiveCount: 5,
    });
    const allow = byType(mine, T.redriveAllow)[0]!;
    expect(JSON.parse(allow.inputs['redriveAllowPolicy'])).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [`arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:firstseen-trail`],
    });
  });

  it("accepts messages only from the trail bucket's notifications, pinned to the bucket's owner", () => {
    const policy = JSON.parse(
      byType(mine, T.queuePolicy).find((p) => p.name === 'cross-trail-queue-policy')!.inputs['policy'],
    );
    expect(policy.Statement).toEqual([
      {
        Sid: 'TrailBucketNotifications',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:firstseen-trail`,
        Condition: {
          ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::org-trail' },
          StringEquals: { 'aws:SourceAccount': LOG_ARCHIVE },
        },
      },
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' }),
    ]);
  });

  it('maps the queue to the trail reader with partial batch responses', () => {
    const esm = byType(mine, T.esm).find((e) => e.name === 'cross-trail-reader-esm')!;
    expect(esm.inputs).toMatchObject({
      eventSourceArn: `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:firstseen-trail`,
      functionName: `arn:aws:lambda:eu-west-1:${ACCOUNT_ID}:function:firstseen-trail-reader`,
      functionResponseTypes: ['ReportBatchItemFailures'],
      batchSize: 10,
    });
    const fn = byType(mine, T.fn).find((f) => f.name === 'cross-trail-reader')!;
    expect(fn.inputs['environment'].variables).toMatchObject({
      FIRSTSEEN_QUARANTINE_BUCKET: expect.any(String),
      FIRSTSEEN_BASELINE_TABLE: 'firstseen-baseline',
      FIRSTSEEN_ALERTS_TABLE: 'firstseen-alerts',
    });
  });

  it("leaves the bucket's notification to its account and says what that account must add", () => {
    expect(byType(mine, T.notification).filter((n) => n.name.startsWith('cross-trail'))).toEqual([]);
    expect(byType(mine, T.subscription)).toEqual([]);
    const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/cross-trail-reader-role`;
    expect(template).toEqual({
      account: LOG_ARCHIVE,
      bucket: 'org-trail',
      bucketPolicyStatements: [
        {
          Sid: 'FirstseenTrailReaderRead',
          Effect: 'Allow',
          Principal: { AWS: roleArn },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::org-trail/AWSLogs/*',
        },
      ],
      keyPolicyStatement: {
        Sid: 'FirstseenTrailReaderDecrypt',
        Effect: 'Allow',
        Principal: { AWS: roleArn },
        Action: 'kms:Decrypt',
        Resource: '*',
      },
      bucketNotificationQueueConfiguration: {
        Id: 'firstseen-trail-feed',
        QueueArn: `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:firstseen-trail`,
        Events: ['s3:ObjectCreated:*'],
        Filter: {
          Key: {
            FilterRules: [
              { Name: 'prefix', Value: 'AWSLogs/' },
              { Name: 'suffix', Value: '.json.gz' },
            ],
          },
        },
      },
    });
  });

  it('alarms on the dead-letter queue, the age of the oldest notification, and the reader', () => {
    const names = byType(mine, T.alarm).map((a) => String(a.inputs['name']));
    expect(names).toEqual(
      expect.arrayContaining([
        'firstseen-trail-reader-dlq',
        'firstseen-trail-reader-queue-age',
        'firstseen-trail-reader-errors',
        'firstseen-trail-reader-throttles',
      ]),
    );
    const age = byType(mine, T.alarm).find((a) => a.inputs['name'] === 'firstseen-trail-reader-queue-age')!;
    expect(age.inputs).toMatchObject({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      threshold: 900,
      dimensions: { QueueName: 'firstseen-trail' },
    });
  });
});

describe("the trail feed when this stack's account owns the bucket", () => {
  it('subscribes the queue to the bucket itself, and needs no bucket policy statement', async () => {
    const { mine, template } = await deploy(
      'same',
      'trail',
      { ...s3Trail, bucketAccountId: ACCOUNT_ID, kmsKeyArn: undefined },
      ACCOUNT_ID,
    );
    const [notification] = byType(mine, T.notification).filter((n) => n.name === 'same-trail-notification');
    expect(notification?.inputs).toEqual(
      expect.objectContaining({
        bucket: 'org-trail',
        queues: [
          {
            id: 'firstseen-trail-feed',
            queueArn: `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:firstseen-trail`,
            events: ['s3:ObjectCreated:*'],
            filterPrefix: 'AWSLogs/',
            filterSuffix: '.json.gz',
          },
        ],
      }),
    );
    expect(template).toEqual({ account: ACCOUNT_ID, bucket: 'org-trail', bucketPolicyStatements: [] });
  });

  it('treats an unknown stack account as another account (template only, nothing created on the bucket)', async () => {
    const { mine, template } = await deploy('unknown', 'trail', { ...s3Trail, bucketAccountId: ACCOUNT_ID });
    expect(byType(mine, T.notification).filter((n) => n.name.startsWith('unknown-trail'))).toEqual([]);
    expect(template['bucketNotificationQueueConfiguration']).toBeDefined();
  });
});

describe("the trail feed through the trail's SNS topic", () => {
  const topicArn = `arn:aws:sns:eu-west-1:${LOG_ARCHIVE}:org-trail-files`;
  let mine: RegisteredResource[];
  let template: Record<string, unknown>;
  beforeAll(async () => {
    ({ mine, template } = await deploy(
      'topic',
      'both',
      {
        bucketName: 'org-trail',
        bucketAccountId: LOG_ARCHIVE,
        notification: 'sns',
        snsTopicArn: topicArn,
        keyPrefix: 'org',
      },
      ACCOUNT_ID,
    ));
  });

  it("subscribes the queue to the topic from this account (the queue's owner: no confirmation), envelopes kept", () => {
    const [sub] = byType(mine, T.subscription);
    expect(sub?.inputs).toMatchObject({
      topic: topicArn,
      protocol: 'sqs',
      endpoint: `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:firstseen-trail`,
      rawMessageDelivery: false,
    });
    expect(byType(mine, T.notification).filter((n) => n.name.startsWith('topic-trail'))).toEqual([]);
  });

  it('accepts messages only from that topic', () => {
    const policy = JSON.parse(
      byType(mine, T.queuePolicy).find((p) => p.name === 'topic-trail-queue-policy')!.inputs['policy'],
    );
    expect(policy.Statement[0]).toEqual({
      Sid: 'TrailTopicNotifications',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:firstseen-trail`,
      Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
    });
  });

  it("asks the topic's account to let this account subscribe, and reads under the trail's key prefix", () => {
    expect(template['topicPolicyStatement']).toEqual({
      Sid: 'FirstseenTrailSubscribe',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
      Action: 'sns:Subscribe',
      Resource: topicArn,
      Condition: {
        StringEquals: {
          'sns:Protocol': 'sqs',
          'sns:Endpoint': `arn:aws:sqs:eu-west-1:${ACCOUNT_ID}:firstseen-trail`,
        },
      },
    });
    expect(template['bucketNotificationQueueConfiguration']).toBeUndefined();
    const policy = JSON.parse(
      byType(mine, T.rolePolicy).find((p) => p.name === 'topic-trail-reader-policy')!.inputs['policy'],
    );
    expect(policy.Statement).toContainEqual({
      Sid: 'ReadTrailLogFiles',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::org-trail/org/AWSLogs/*',
    });
  });
});

describe('feed eventbridge', () => {
  it('creates no trail resources', async () => {
    const { mine, pipeline } = await deploy('eb', 'eventbridge', undefined);
    expect(mine.filter((r) => r.name.includes('trail'))).toEqual([]);
    expect(pipeline.functions['trail-reader']).toBeUndefined();
  });
});

describe('the trail settings', () => {
  it.each<[string, 'eventbridge' | 'trail' | 'both', TrailFeedSettings | undefined, string]>([
    [
      'a trail feed without a trail',
      'trail',
      undefined,
      "the config's feed is trail: trail (bucketName, bucketAccountId, ...) is required",
    ],
    [
      'a trail with feed eventbridge',
      'eventbridge',
      s3Trail,
      "trail is set but the config's feed is eventbridge",
    ],
    [
      'sns without a topic',
      'both',
      { ...s3Trail, notification: 'sns' },
      'trail.snsTopicArn is required when trail.notification is sns',
    ],
    [
      'a batch above 10 without a window',
      'both',
      { ...s3Trail, reader: { batchSize: 50 } },
      'trail.reader.batchSize above 10 needs a batchingWindowSeconds of at least 1',
    ],
  ])('refuses %s in the component, in one line', async (_what, feed, trail, message) => {
    await expect(deploy(`bad${_what.length}`, feed, trail)).rejects.toThrow(message);
  });

  const stack = (values: Record<string, string>, awsRegion = 'eu-west-1'): string[] => {
    const all: Record<string, string> = {
      orgId: ORG_ID,
      targetOus: '["r-abcd"]',
      regions: '["us-east-1"]',
      ...values,
    };
    try {
      readStackSettings((k) => all[k], '/', { keys: Object.keys(all), awsRegion });
    } catch (err) {
      return (err as Error).message.split('\n');
    }
    return [];
  };
  const trail = (t: object) =>
    JSON.stringify({ bucketName: 'org-trail', bucketAccountId: LOG_ARCHIVE, ...t });

  it('accepts a trail with feed both', () => {
    expect(stack({ detection: '{"feed":"both"}', trail: trail({}) })).toEqual([]);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'feed trail without firstseen:trail',
      { detection: '{"feed":"trail"}' },
      "the detection config's feed is trail: firstseen:trail is required",
    ],
    [
      'firstseen:trail with feed eventbridge',
      { trail: trail({}) },
      "firstseen:trail is set but the detection config's feed is eventbridge",
    ],
    [
      'a bucket account that is not an account id',
      { detection: '{"feed":"both"}', trail: trail({ bucketAccountId: '123' }) },
      'firstseen:trail.bucketAccountId: must be a 12-digit AWS account id',
    ],
    [
      'sns without a topic',
      { detection: '{"feed":"both"}', trail: trail({ notification: 'sns' }) },
      'firstseen:trail.snsTopicArn: is required when notification is sns',
    ],
    [
      'an unknown notification',
      { detection: '{"feed":"both"}', trail: trail({ notification: 'eventbridge' }) },
      'firstseen:trail.notification',
    ],
    [
      'a topic in another region',
      {
        detection: '{"feed":"both"}',
        trail: trail({ notification: 'sns', snsTopicArn: `arn:aws:sns:us-east-1:${LOG_ARCHIVE}:t` }),
      },
      'firstseen:trail.snsTopicArn is in us-east-1 but the stack deploys to eu-west-1',
    ],
    [
      'an unknown key',
      { detection: '{"feed":"both"}', trail: trail({ bucket: 'x' }) },
      'firstseen:trail: Unrecognized key: "bucket"',
    ],
  ])('refuses %s, naming the setting', (_what, values, message) => {
    const problems = stack(values);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });
});
