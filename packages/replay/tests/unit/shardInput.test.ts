import { ConfigError } from '@firstseen/core';
import { parseShardInput, readShardEnvironment, type ShardSummary } from '../../src';
import { mergeShardSummaries } from '../../src/shard/seedObjects';

describe('parseShardInput', () => {
  it('reads a batch of the distributed map (ItemSelector Key/Size, BatchInput with nulls)', () => {
    expect(
      parseShardInput({
        Items: [{ Key: 'AWSLogs/a.json.gz', Size: 10 }, { Key: 'AWSLogs/b.json.gz' }],
        BatchInput: { bucket: 'trail', from: 1000, to: null, accounts: null, regions: ['eu-west-1'] },
      }),
    ).toEqual({
      Items: [{ Key: 'AWSLogs/a.json.gz', Size: 10 }, { Key: 'AWSLogs/b.json.gz' }],
      BatchInput: { bucket: 'trail', from: 1000, regions: ['eu-west-1'] },
    });
  });

  it.each([
    [null, /not an object/],
    [{ BatchInput: { bucket: 'b' } }, /Items must be an array/],
    [{ Items: [{ Size: 1 }], BatchInput: { bucket: 'b' } }, /Items\[0\]\.Key/],
    [{ Items: [] }, /BatchInput must be an object/],
    [{ Items: [], BatchInput: {} }, /BatchInput\.bucket/],
    [{ Items: [], BatchInput: { bucket: 'b', from: '2024-01-01' } }, /BatchInput\.from/],
    [{ Items: [], BatchInput: { bucket: 'b', accounts: [1] } }, /BatchInput\.accounts/],
  ])('refuses %j in one line', (event, message) => {
    expect(() => parseShardInput(event)).toThrow(message);
  });
});

describe('mergeShardSummaries', () => {
  const shard = (over: Partial<ShardSummary>): ShardSummary => ({
    objects: 2,
    skipped: 0,
    files: 2,
    records: 10,
    events: 8,
    ignored: 1,
    invalid: 1,
    filtered: 0,
    keysWritten: 5,
    principalsWritten: 1,
    throttledWrites: 0,
    errors: [],
    durationMs: 100,
    ...over,
  });
  it('sums the counts, keeps every error and the earliest and latest event times', () => {
    const m = mergeShardSummaries([
      shard({ firstEventTime: '2024-01-02T00:00:00.000Z', lastEventTime: '2024-01-03T00:00:00.000Z' }),
      shard({
        errors: [{ key: 'k', reason: 'bad-gzip', detail: 'x' }],
        firstEventTime: '2024-01-01T00:00:00.000Z',
        lastEventTime: '2024-01-02T12:00:00.000Z',
      }),
      shard({ events: 0, records: 0 }),
    ]);
    expect(m.events).toBe(16);
    expect(m.records).toBe(20);
    expect(m.keysWritten).toBe(15);
    expect(m.errors).toEqual([{ key: 'k', reason: 'bad-gzip', detail: 'x' }]);
    expect(m.firstEventTime).toBe('2024-01-01T00:00:00.000Z');
    expect(m.lastEventTime).toBe('2024-01-03T00:00:00.000Z');
  });
});

describe('readShardEnvironment', () => {
  it('reads the table, config path and write rate, and names every bad variable', () => {
    expect(
      readShardEnvironment({ FIRSTSEEN_BASELINE_TABLE: 't', FIRSTSEEN_SEED_WRITES_PER_SECOND: '40' }),
    ).toEqual({ baselineTable: 't', writesPerSecond: 40 });
    expect(() => readShardEnvironment({ FIRSTSEEN_SEED_WRITES_PER_SECOND: '-1' })).toThrow(ConfigError);
    expect(() => readShardEnvironment({ FIRSTSEEN_SEED_WRITES_PER_SECOND: '-1' })).toThrow(
      /FIRSTSEEN_BASELINE_TABLE.*FIRSTSEEN_SEED_WRITES_PER_SECOND/,
    );
  });
});
