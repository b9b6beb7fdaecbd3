import { kinesisEvent, mergeEvents } from '@firstseen/test-support';
import { batchItemFailures } from '../../src/batchItemFailures';
import { compareSequenceNumbers, decodeBase64Strict, shardIdOf } from '../../src/kinesisRecords';

describe('batchItemFailures()', () => {
  const a = kinesisEvent(['a0', 'a1', 'a2', 'a3'], { shardId: 'shardId-000000000000' });
  const b = kinesisEvent(['b0', 'b1', 'b2'], { shardId: 'shardId-000000000001', firstSequence: 10 });
  const batch = mergeEvents(a, b).Records;
  const ids = (recs: typeof batch) => recs.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber }));

  it('reports nothing when nothing failed', () => {
    expect(batchItemFailures(batch, new Set())).toEqual([]);
  });

  it('reports the lowest failed record and every later record of its shard only', () => {
    const failed = new Set([a.Records[3]!, a.Records[1]!]);
    expect(batchItemFailures(batch, failed)).toEqual(ids(a.Records.slice(1)));
  });

  it('reports from the lowest failed record in each shard independently', () => {
    const failed = new Set([a.Records[2]!, b.Records[0]!]);
    expect(batchItemFailures(batch, failed)).toEqual([...ids(a.Records.slice(2)), ...ids(b.Records)]);
  });
});

describe('compareSequenceNumbers()', () => {
  it('orders decimal sequence numbers numerically, not lexically', () => {
    expect(compareSequenceNumbers('9', '10')).toBeLessThan(0);
    expect(
      compareSequenceNumbers('49590000000000000000000000000000000000000000000000000002', '4959'),
    ).toBeGreaterThan(0);
    expect(compareSequenceNumbers('0012', '12')).toBe(0);
  });
});

describe('shardIdOf()', () => {
  it('takes the shard from the eventID before the sequence number', () => {
    const [record] = kinesisEvent(['x'], { shardId: 'shardId-000000000007' }).Records;
    expect(shardIdOf(record!)).toBe('shardId-000000000007');
  });
});

describe('decodeBase64Strict()', () => {
  it('decodes canonical base64', () => {
    expect(decodeBase64Strict(Buffer.from('{"a":1}').toString('base64'))?.toString()).toBe('{"a":1}');
  });

  it('rejects characters outside the alphabet that Buffer.from would silently skip', () => {
    expect(decodeBase64Strict('eyJhIjox!fQ==')).toBeUndefined();
    expect(decodeBase64Strict('abc')).toBeUndefined();
  });
});
