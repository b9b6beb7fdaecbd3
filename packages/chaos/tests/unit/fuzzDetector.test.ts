import { decodeRecord } from '@firstseen/core';
import { decodeBase64Strict, processKinesisBatch } from '@firstseen/detector';
import { inMemoryDetector } from '@firstseen/test-support';
import type { KinesisStreamEvent } from 'aws-lambda';
import { seededRandom } from '../../src/random';
import { corpusRecords, HOSTILE_STRINGS, mutate, withHostileFields } from '../helpers/fuzz';

const ITERATIONS = 1_500;
const corpus = corpusRecords();

function kinesisEvent(datas: (Buffer | string)[], from = 0): KinesisStreamEvent {
  const seq = (i: number) => (10n ** 20n + BigInt(from + i)).toString();
  return {
    Records: datas.map((d, i) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: `pk-${i}`,
        sequenceNumber: seq(i),
        data: typeof d === 'string' ? d : d.toString('base64'),
        approximateArrivalTimestamp: 1_717_000_000 + i,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${seq(i)}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/test',
    })),
  };
}

describe('decodeRecord() fuzzed with mutated real records and random bytes', () => {
  it('answers every input with outcomes and never throws', () => {
    const random = seededRandom(42);
    expect(corpus.length).toBeGreaterThan(100);
    for (let i = 0; i < ITERATIONS; i++) {
      const data = mutate(corpus[i % corpus.length]!, random);
      const outcomes = decodeRecord(data, {});
      expect(outcomes.length).toBeGreaterThanOrEqual(0);
      for (const o of outcomes) expect(['observed', 'ignored', 'invalid']).toContain(o.outcome);
    }
  });
});

describe('processKinesisBatch() fuzzed', () => {
  it('fails no batch for bad records: each is processed or quarantined, and each log line is one JSON object', async () => {
    const random = seededRandom(7);
    const d = inMemoryDetector();
    for (let batch = 0; batch < 30; batch++) {
      const datas: (Buffer | string)[] = [];
      for (let i = 0; i < 40; i++) datas.push(mutate(corpus[(batch * 40 + i) % corpus.length]!, random));
      datas.push('%%% not base64 %%%', '', Buffer.alloc(0));
      const event = kinesisEvent(datas, batch * 100);
      const invalid = event.Records.filter((r) => {
        const bytes = decodeBase64Strict(r.kinesis.data);
        return bytes === undefined || decodeRecord(bytes, {}).some((o) => o.outcome === 'invalid');
      }).length;
      const before = d.quarantine.items.size;
      const response = await processKinesisBatch(event, d.deps);
      expect(response.batchItemFailures).toEqual([]);
      expect(d.quarantine.items.size - before).toBe(invalid);
    }
    expect(d.quarantine.items.size).toBeGreaterThan(100);
    for (const line of d.logs.lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it.each(HOSTILE_STRINGS.map((s) => [JSON.stringify(s.slice(0, 40)), s]))(
    'keeps hostile field %s inside one log line per entry',
    async (_name, hostile) => {
      const d = inMemoryDetector();
      const records = corpus
        .slice(0, 5)
        .map((r, i) => withHostileFields({ ...r, eventID: `hostile-${i}` }, hostile));
      const response = await processKinesisBatch(
        kinesisEvent(records.map((r) => Buffer.from(JSON.stringify(r)))),
        d.deps,
      );
      expect(response.batchItemFailures).toEqual([]);
      expect(d.logs.lines.length).toBeGreaterThan(0);
      for (const line of d.logs.lines) {
        expect(line).not.toMatch(/[\n\r]/);
        expect(typeof JSON.parse(line)).toBe('object');
      }
    },
  );
});
