import * as pulumi from '@pulumi/pulumi';
import type { FirstseenPipelineArgs, FirstseenPipeline as PipelineClass } from '../../src/FirstseenPipeline';
import { fakeHandlersDir } from '../helpers/fakeHandlers';
import { installMocks, type RegisteredResource, settle } from '../helpers/pulumiMocks';

// Mocks must be installed before the components (and @pulumi/aws) are loaded.
const registered = installMocks();

/*
 * A safety net for refactoring the pipeline: in a deployed stack a resource's URN is made of
 * its type, its logical name and its parent's type, so changing any of them makes Pulumi
 * REPLACE the resource (tables and buckets with their data). This test records every resource
 * the component registers, with its parent, dependencies and inputs, and compares the lot
 * with a committed snapshot. A refactor must leave the snapshot untouched.
 */

const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const ORG_ID = 'o-abcdefghij';

interface Created {
  resource: pulumi.Resource;
  type: string;
  name: string;
  parent: pulumi.Resource | undefined;
  dependsOn: pulumi.Resource[];
}

const urnOf = (r: pulumi.Resource): Promise<string> =>
  new Promise((resolve) => {
    r.urn.apply((urn) => {
      resolve(urn);
      return urn;
    });
  });

let handlersDir: string;

/** Plain JSON with no machine-specific or unresolved values: assets by content, paths relative. */
async function normalise(value: unknown): Promise<unknown> {
  if (value === UNKNOWN) return '<unknown>';
  if (typeof value === 'string') return value.split(handlersDir).join('<handlersDir>');
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Promise.all(value.map(normalise));
  if (value instanceof pulumi.asset.AssetArchive) {
    return { assetArchive: await normalise(await value.assets) };
  }
  if (value instanceof pulumi.asset.FileAsset) return { fileAsset: await normalise(await value.path) };
  if (value instanceof pulumi.asset.StringAsset) return { stringAsset: await normalise(await value.text) };
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
    throw new Error(`unexpected asset kind ${value.constructor.name}: add it to normalise()`);
  }
  const obj = value as Record<string, unknown>;
  if (obj['4dabf18193072939515e22adb298388d'] === '1b47061264138c4ac30d75fd1eb44270') {
    return { secret: await normalise(obj['value']) };
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) out[key] = await normalise(obj[key]);
  return out;
}

/** Builds one pipeline and returns every resource under it, sorted by URN. */
async function deploy(name: string, args: Omit<FirstseenPipelineArgs, 'handlersDir'>) {
  const { FirstseenPipeline } = await import('../../src/FirstseenPipeline');
  const created: Created[] = [];
  const record: pulumi.ResourceTransformation = ({ resource, type, name: n, opts }) => {
    const deps = opts.dependsOn;
    if (deps !== undefined && !Array.isArray(deps) && !pulumi.Resource.isInstance(deps)) {
      throw new Error(`${n}: dependsOn is not a plain resource list; record it before refactoring`);
    }
    created.push({
      resource,
      type,
      name: n,
      parent: opts.parent,
      dependsOn: deps === undefined ? [] : Array.isArray(deps) ? (deps as pulumi.Resource[]) : [deps],
    });
    return undefined;
  };
  const pipeline: PipelineClass = new FirstseenPipeline(
    name,
    { ...args, handlersDir },
    { transformations: [record] },
  );
  await settle();

  const rows = [];
  for (const c of created) {
    const matches = registered.filter((r: RegisteredResource) => r.type === c.type && r.name === c.name);
    if (matches.length !== 1) throw new Error(`${c.type} ${c.name} registered ${matches.length} times`);
    rows.push({
      urn: await urnOf(c.resource),
      type: c.type,
      name: c.name,
      parent: c.parent ? await urnOf(c.parent) : null,
      dependsOn: (await Promise.all(c.dependsOn.map(urnOf))).sort(),
      inputs: await normalise(matches[0]!.inputs),
    });
  }
  rows.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { pipeline, rows };
}

beforeAll(async () => {
  handlersDir = fakeHandlersDir();
});

describe('FirstseenPipeline resources', () => {
  it('registers the same resources (type, name, parent, inputs) with the default args', async () => {
    const { parseConfig } = await import('@firstseen/core');
    const { rows } = await deploy('dflt', { orgId: ORG_ID, config: parseConfig({}) });
    expect(rows.length).toBeGreaterThan(50);
    expect(rows).toMatchSnapshot();
  });

  it('registers the same resources with the owners config and detector settings of the pipeline test', async () => {
    const { parseConfig } = await import('@firstseen/core');
    const { rows } = await deploy('fs', {
      orgId: ORG_ID,
      config: parseConfig({
        owners: [{ principal: 'role/payments-*', pagerDutyRoutingKeySecret: 'PAYMENTS_PD_KEY' }],
      }),
      detector: {
        batchSize: 250,
        batchingWindowSeconds: 3,
        maximumRetryAttempts: 4,
        maximumRecordAgeSeconds: 7200,
      },
    });
    expect(rows).toMatchSnapshot();
  });

  it('registers the same resources with every optional setting given', async () => {
    const { parseConfig } = await import('@firstseen/core');
    const { rows } = await deploy('all', {
      namePrefix: 'every',
      orgId: ORG_ID,
      config: parseConfig({
        coverage: 'write-only',
        routing: {
          destinations: {
            slack: { type: 'slack', interactive: true, teamIds: ['T0FIRSTSEEN'], appId: 'A0FIRSTSEEN' },
            pagerduty: { type: 'pagerduty' },
          },
        },
        owners: [{ principal: 'role/payments-*', pagerDutyRoutingKeySecret: 'PAYMENTS_PD_KEY' }],
      }),
      stream: { mode: 'PROVISIONED', shardCount: 4, retentionHours: 48 },
      detector: { batchSize: 50, parallelizationFactor: 2, iteratorAgeAlarmMs: 60_000, memoryMb: 2048 },
      dispatcher: { batchSize: 10, maximumRetryAttempts: 2, reservedConcurrency: 5 },
      redrive: { schedule: 'rate(5 minutes)', timeoutSeconds: 120 },
      watchdog: { schedule: 'rate(30 minutes)', silenceMinutes: 120, neverReportedGraceHours: 48 },
      forwardedRegions: ['us-east-1', 'eu-west-1'],
      triage: {
        signingSecretName: 'SLACK_SIGNING',
        expectedScope: 'account',
        memoryMb: 1024,
        reservedConcurrency: 2,
      },
      quarantineRetentionDays: 7,
      failureRetentionDays: 3,
      logRetentionDays: 30,
      alarmEmail: 'security@example.com',
      protectData: false,
    });
    expect(rows.some((r) => r.type === 'aws:sns/topicSubscription:TopicSubscription')).toBe(true);
    expect(rows).toMatchSnapshot();
  });

  it('registers the same resources with the trail feed (feed both, the bucket in this account)', async () => {
    const { parseConfig } = await import('@firstseen/core');
    const { rows } = await deploy('trl', {
      orgId: ORG_ID,
      config: parseConfig({ feed: 'both' }),
      trail: {
        bucketName: 'org-trail',
        bucketAccountId: '111122223333',
        notification: 's3',
        kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100',
        reader: { batchSize: 20, batchingWindowSeconds: 2, maxReceiveCount: 3, queueAgeAlarmSeconds: 600 },
      },
      stackAccountId: '111122223333',
    });
    expect(
      rows.some(
        (r) =>
          r.type === 'aws:s3/bucketNotification:BucketNotification' && r.name === 'trl-trail-notification',
      ),
    ).toBe(true);
    expect(rows).toMatchSnapshot();
  });
});
