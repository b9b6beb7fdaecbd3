import type * as pulumi from '@pulumi/pulumi';
import { fakeHandlersDir } from '../helpers/fakeHandlers';
import { installMocks, settle } from '../helpers/pulumiMocks';

// What must never be deleted or replaced by an upgrade (infra/README.md "Upgrade"): the
// baseline (months of learning), the alerts and their decisions, the stream (up to 7 days of
// unread events), the buckets (failed and quarantined records) and the key (without it none of
// these can be read). Pulumi's `protect` makes a plan that would delete or replace them fail;
// the mocks do not see resource options, so a transformation records them.
installMocks();

const STATEFUL: Record<string, string[]> = {
  'aws:dynamodb/table:Table': ['baseline', 'alerts'],
  'aws:kinesis/stream:Stream': ['stream'],
  'aws:s3/bucket:Bucket': ['quarantine', 'failures'],
  'aws:kms/key:Key': ['key'],
};

async function protectedResources(name: string, protectData?: boolean): Promise<Map<string, boolean>> {
  const seen = new Map<string, boolean>();
  const record: pulumi.ResourceTransformation = ({ type, name: resourceName, props, opts }) => {
    if (type in STATEFUL) seen.set(`${type}::${resourceName}`, opts.protect === true);
    return { props, opts };
  };
  const { FirstseenPipeline } = await import('../../src/FirstseenPipeline');
  const { parseConfig } = await import('@firstseen/core');
  new FirstseenPipeline(
    name,
    { orgId: 'o-abcdefghij', config: parseConfig({}), handlersDir: fakeHandlersDir(), protectData },
    { transformations: [record] },
  );
  await settle();
  return seen;
}

const expected = (name: string) =>
  Object.entries(STATEFUL)
    .flatMap(([type, ids]) => ids.map((id) => `${type}::${name}-${id}`))
    .sort();

describe('data protection', () => {
  it('protects the tables, the stream, both buckets and the key by default', async () => {
    const seen = await protectedResources('pd');
    expect([...seen.keys()].sort()).toEqual(expected('pd'));
    expect([...seen.entries()].filter(([, p]) => !p).map(([k]) => k)).toEqual([]);
  });

  it('lifts the protection when protectData is false (tear-down)', async () => {
    const seen = await protectedResources('pf', false);
    expect([...seen.keys()].sort()).toEqual(expected('pf'));
    expect([...seen.entries()].filter(([, p]) => p).map(([k]) => k)).toEqual([]);
  });
});
