import { jsonElements } from '../../src/shard/jsonElements';
import { manifestLocation } from '../../src/shard/mapRunResults';
import { ShardSummaryTotal } from '../../src/shard/ShardSummaryTotal';
import type { ShardSummary } from '../../src/shard/seedObjects';
import { formatMapRunProgress } from '../../src/shard/seedOnAws';
import { replayStateMachineDefinition } from '../../src/shard/stateMachine';

async function* pieces(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function all(text: string, size = 3): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of jsonElements(pieces(text, size))) out.push(v);
  return out;
}

describe('jsonElements()', () => {
  const values = [
    { Input: '{"Items":[{"Key":"a]}\\"[{"}]}', Status: 'SUCCEEDED' },
    { Output: 'é ✓ "quoted" \\ back', n: [1, [2, { x: '}' }]] },
    [],
  ];

  it.each([1, 2, 3, 7, 1000])('yields each element of an array cut into %i-byte chunks', async (size) => {
    expect(await all(JSON.stringify(values, null, 2), size)).toEqual(values);
  });

  it('yields each line of JSON Lines', async () => {
    expect(await all(values.map((v) => JSON.stringify(v)).join('\n'))).toEqual(values);
  });

  it('yields nothing for an empty array', async () => {
    expect(await all(' [ ] ')).toEqual([]);
  });

  it.each([
    ['[{"a":1}', /ends inside a value/],
    ['[{"a":"x}]', /ends inside a value/],
    ['[1,2]', /elements must be objects/],
    ['[{}]]', /text after the array|unbalanced/],
    ['[{"a":1}] x', /text after the array/],
  ])('refuses %j', async (text, message) => {
    await expect(all(text)).rejects.toThrow(message);
  });
});

const shard = (over: Partial<ShardSummary> = {}): ShardSummary => ({
  objects: 2,
  skipped: 0,
  files: 2,
  records: 10,
  events: 9,
  ignored: 1,
  invalid: 0,
  filtered: 0,
  keysWritten: 4,
  principalsWritten: 1,
  throttledWrites: 0,
  errors: [],
  durationMs: 100,
  ...over,
});

describe('ShardSummaryTotal', () => {
  it('adds shards up and keeps only the first bad objects, counting the rest', () => {
    const total = new ShardSummaryTotal({ errorLimit: 2 });
    const bad = (key: string) => ({ key, reason: 'bad-gzip' as const, detail: 'x' });
    total.add(shard({ errors: [bad('a'), bad('b')], lastEventTime: '2024-01-02T00:00:00.000Z' }));
    total.add(shard({ errors: [bad('c')], firstEventTime: '2024-01-01T00:00:00.000Z' }));
    expect(total.shards).toBe(2);
    expect(total.summary).toMatchObject({
      events: 18,
      objects: 4,
      firstEventTime: '2024-01-01T00:00:00.000Z',
      lastEventTime: '2024-01-02T00:00:00.000Z',
    });
    expect(total.summary.errors.map((e) => e.key)).toEqual(['a', 'b']);
    expect(total.errorsNotListed).toBe(1);
  });
});

describe('manifestLocation()', () => {
  const run =
    'arn:aws:states:eu-west-1:123456789012:mapRun:firstseen-replay/seed:ad9b5f27-090b-3ac6-9beb-243cd77144a7';

  it("is <Prefix>/<map run id>/manifest.json in the definition's results bucket", () => {
    const definition = JSON.stringify(
      replayStateMachineDefinition({ shardFunctionArn: 'arn:aws:lambda:x', resultBucket: 'results' }),
    );
    expect(manifestLocation(definition, run)).toEqual({
      bucket: 'results',
      manifestKey: 'replay-results/ad9b5f27-090b-3ac6-9beb-243cd77144a7/manifest.json',
    });
  });

  it('is undefined for a definition without a ResultWriter', () => {
    expect(manifestLocation('{"States":{}}', run)).toBeUndefined();
    expect(manifestLocation('not json', run)).toBeUndefined();
  });
});

describe('formatMapRunProgress()', () => {
  const p = {
    status: 'RUNNING',
    total: 200,
    succeeded: 50,
    failed: 1,
    pending: 0,
    running: 20,
    elapsedMs: 61_000,
  };

  it('shows the events/s estimate and how many batches it comes from', () => {
    expect(formatMapRunProgress({ ...p, eventsPerSecond: 123456, sampledBatches: 3 })).toBe(
      'map run RUNNING: 51/200 objects (25%), 1 failed, 20 running, ~123,456 events/s (est. from 3 batches), 61 s',
    );
  });

  it('leaves the rate out until a finished batch has been sampled', () => {
    expect(formatMapRunProgress({ ...p, sampledBatches: 0 })).toBe(
      'map run RUNNING: 51/200 objects (25%), 1 failed, 20 running, 61 s',
    );
  });
});
