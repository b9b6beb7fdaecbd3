import { type ConfigInput, parseConfig } from '../../src/config';
import { createKeyCache, type Detection, DetectionEngine } from '../../src/DetectionEngine';
import { InMemoryBaselineStore } from '../../src/InMemoryBaselineStore';
import { bucketOf, MAX_BUCKET_NAME_LENGTH, resourceKey } from '../../src/levelKeys';
import type { ClaimSource, Level } from '../../src/types';
import { type EventSpec, observed } from '../helpers/observedEvent';

// The opt-in `resource` level (docs/semantics.md "Levels and keys"): key (P, s3, bucket),
// refresh 30 days, steps 1, 2, 3 and 5, no window. Burn-in is off so fired levels alert.

function setup(config: ConfigInput = {}, cache = true) {
  const store = new InMemoryBaselineStore();
  const engine = new DetectionEngine({
    store,
    config: parseConfig({ burnInDays: 0, ...config }),
    cache: cache ? createKeyCache({ maxKeys: 1000 }) : false,
  });
  const run = (spec: EventSpec, source: ClaimSource = 'live') => engine.detect(observed(spec), source);
  return { store, engine, run };
}

const ON = { levels: { resource: true } };
const get = (id: string, bucket: unknown, at = 0, extra: Partial<EventSpec> = {}): EventSpec => ({
  id,
  eventName: 'GetObject',
  bucket,
  at,
  ...extra,
});

function alerted(d: Detection): Level[] {
  return d.alert?.levels ?? [];
}

describe('levels.resource off (the default)', () => {
  it('is off unless configured', () => {
    expect(parseConfig({}).levels.resource).toBe(false);
  });

  it('keeps no bucket key and no resource field: a new bucket of a known action is silent', async () => {
    const { run, store } = setup();
    await run(get('e1', 'app-assets'));
    const d = await run(get('e2', 'payroll', 0.1));
    expect(d.fired).toEqual([]);
    expect(d.storeRequests).toBe(0);
    expect(await store.getKey(resourceKey('role/deploy', 'payroll'))).toBeUndefined();
    const first = await setup().run(get('e3', 'payroll'));
    expect(first.alert?.levels).toEqual(['account', 'role', 'region']);
    expect(first.alert?.resource).toBeUndefined();
  });
});

describe.each([
  ['with the key cache', true],
  ['without the key cache', false],
])('levels.resource on %s', (_label, cache) => {
  it('fires resource alone, low severity, for a known action on a new bucket', async () => {
    const { run } = setup(ON, cache);
    expect(alerted(await run(get('e1', 'app-assets')))).toEqual(['account', 'role', 'region', 'resource']);
    const d = await run(get('e2', 'payroll', 0.1));
    expect(d.alert?.levels).toEqual(['resource']);
    expect(d.alert?.severity).toBe('low');
    expect(d.alert?.resource).toBe('s3:payroll');
    expect((await run(get('e3', 'payroll', 0.2))).fired).toEqual([]);
  });

  it('keys management and data events alike: any action on the bucket counts as a touch', async () => {
    const { run } = setup(ON, cache);
    await run({ id: 'e1', eventName: 'GetBucketAcl', bucket: 'payroll' });
    expect((await run(get('e2', 'payroll', 0.1))).fired).toEqual(['account', 'role', 'region']);
  });

  it('has no key without a bucket: another service, an empty or non-string name, no parameters', async () => {
    const { run } = setup(ON, cache);
    await run(get('e0', 'seed'));
    for (const [i, spec] of [
      { id: 'x1', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', bucket: 'payroll' },
      get('x2', ''),
      get('x3', 42),
      get('x4', ['payroll']),
      { id: 'x5', eventName: 'GetObject' },
    ].entries()) {
      const d = await run({ ...spec, at: 1 + i });
      expect(d.fired).not.toContain('resource');
      expect(d.alert?.resource).toBeUndefined();
    }
  });

  it('gives no key to a bucket name longer than MAX_BUCKET_NAME_LENGTH (a partition key DynamoDB would refuse)', async () => {
    const { run, store } = setup(ON, cache);
    await run(get('e1', 'known'));
    const long = 'b'.repeat(MAX_BUCKET_NAME_LENGTH + 1);
    const d = await run(get('e2', long, 0.1));
    expect(d.fired).toEqual([]);
    expect(d.alert?.resource).toBeUndefined();
    expect([...store.entries()].filter(([pk]) => pk.startsWith('b#')).map(([pk]) => pk)).toEqual([
      'b#role/deploy#s3#known',
    ]);
    expect(alerted(await run(get('e3', 'b'.repeat(MAX_BUCKET_NAME_LENGTH), 0.2)))).toEqual(['resource']);
  });

  it('re-fires for a redelivery of the claiming event (step 2)', async () => {
    const { run } = setup(ON, cache);
    await run(get('e1', 'a'));
    await run(get('e2', 'payroll', 0.1));
    expect(alerted(await run(get('e2', 'payroll', 0.1)))).toEqual(['resource']);
  });

  it('fires for the first success after denied calls (step 3)', async () => {
    const { run } = setup(ON, cache);
    await run(get('e1', 'a'));
    expect(alerted(await run(get('e2', 'payroll', 0.1, { errorCode: 'AccessDenied' })))).toEqual([
      'resource',
    ]);
    expect((await run(get('e3', 'payroll', 0.2, { errorCode: 'AccessDenied' }))).fired).toEqual([]);
    const d = await run(get('e4', 'payroll', 0.3));
    expect(d.alert?.levels).toEqual(['resource']);
    expect(d.alert?.firstSuccessAfterFailure).toBe(true);
  });

  it('refreshes after 30 days, never fires window, and is claimed anew once expired', async () => {
    const { run, store } = setup({ ...ON, windowDays: 90, retentionDays: 400 }, cache);
    await run(get('e1', 'payroll'));
    const key = resourceKey('role/deploy', 'payroll');
    await run(get('e2', 'payroll', 29));
    expect((await store.getKey(key))?.lastSeen).toBe(observed(get('e1', 'payroll')).time);
    await run(get('e3', 'payroll', 30));
    expect((await store.getKey(key))?.lastSeen).toBe(observed(get('e3', 'payroll', 30)).time);
    // 200 days later the role key's window fires, the resource key (no window) does not.
    const back = await run(get('e4', 'payroll', 230));
    expect(back.fired).toEqual(['window']);
    expect(alerted(await run(get('e5', 'payroll', 230 + 401)))).toContain('resource');
  });

  it('percent-encodes the bucket so no name collides with another principal and bucket', () => {
    expect(resourceKey('role/a#b', 'c').pk).not.toBe(resourceKey('role/a', 'b#c').pk);
    expect(resourceKey('role/a', 'x').pk).toBe('b#role/a#s3#x');
  });
});

describe('bucketOf', () => {
  it('reads requestParameters.bucketName of S3 events only', () => {
    expect(bucketOf(observed(get('e', 'b1')))).toBe('b1');
    expect(bucketOf(observed({ id: 'e', eventSource: 'ec2.amazonaws.com', bucket: 'b1' }))).toBeUndefined();
  });
});

describe('the key cache with the resource level on', () => {
  it('answers a repeated (principal, bucket) without a store request', async () => {
    const { run } = setup(ON, true);
    await run(get('e1', 'payroll'));
    const d = await run(get('e2', 'payroll', 0.1));
    expect(d.storeRequests).toBe(0);
    expect(d.cacheHits).toBe(4);
  });
});
