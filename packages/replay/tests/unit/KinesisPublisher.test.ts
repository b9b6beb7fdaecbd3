import type { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { KinesisPublisher } from '../../src';
import { StreamPutError } from '../../src/errors';
import { MAX_BYTES_PER_RECORD } from '../../src/KinesisPublisher';

type Call = { keys: string[]; bytes: number };

/** A PutRecords stand-in: `reject(callIndex, entryIndex)` decides which entries fail. */
function fakeKinesis(reject: (call: number, entry: number) => boolean = () => false) {
  const calls: Call[] = [];
  return {
    calls,
    client: {
      send: async (command: PutRecordsCommand) => {
        const records = command.input.Records ?? [];
        const call = calls.length;
        calls.push({
          keys: records.map((r) => r.PartitionKey!),
          bytes: records.reduce((n, r) => n + (r.Data?.byteLength ?? 0) + r.PartitionKey!.length, 0),
        });
        const results = records.map((_, i) =>
          reject(call, i) ? { ErrorCode: 'ProvisionedThroughputExceededException' } : { SequenceNumber: '1' },
        );
        return { FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length, Records: results };
      },
    } as never,
  };
}

const sleep = async () => {};

describe('KinesisPublisher', () => {
  it('puts at most 500 records per call', async () => {
    const k = fakeKinesis();
    const p = new KinesisPublisher({ client: k.client, streamName: 's', sleep });
    for (let i = 0; i < 1201; i++) await p.add(Buffer.from('{}'), `k${i}`);
    await p.flush();
    expect(k.calls.map((c) => c.keys.length)).toEqual([500, 500, 201]);
    expect(p.stats.recordsPut).toBe(1201);
  });

  it('keeps each call within 5 MiB and refuses a record over 1 MiB', async () => {
    const k = fakeKinesis();
    const p = new KinesisPublisher({ client: k.client, streamName: 's', sleep });
    const big = Buffer.alloc(900 * 1024, 97);
    for (let i = 0; i < 12; i++) await p.add(big, 'k');
    expect(await p.add(Buffer.alloc(MAX_BYTES_PER_RECORD), 'k')).toBe(false);
    await p.flush();
    expect(k.calls.every((c) => c.bytes <= 5 * 1024 * 1024)).toBe(true);
    expect(k.calls.map((c) => c.keys.length)).toEqual([5, 5, 2]);
    expect(p.stats.tooLarge).toBe(1);
  });

  it('retries only the failed entries, with backoff, until they are accepted', async () => {
    const k = fakeKinesis((call, entry) => call < 2 && entry % 2 === 0);
    const delays: number[] = [];
    const p = new KinesisPublisher({
      client: k.client,
      streamName: 's',
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
    });
    for (let i = 0; i < 6; i++) await p.add(Buffer.from('{}'), `k${i}`);
    await p.flush();
    expect(k.calls.map((c) => c.keys)).toEqual([
      ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'],
      ['k0', 'k2', 'k4'],
      ['k0', 'k4'],
    ]);
    expect(delays).toEqual([50, 100]);
    expect(p.stats).toMatchObject({ recordsPut: 6, retriedRecords: 5, putCalls: 3 });
  });

  it('gives up with StreamPutError after the last attempt', async () => {
    const k = fakeKinesis(() => true);
    const p = new KinesisPublisher({ client: k.client, streamName: 's', sleep, maxAttempts: 3 });
    await p.add(Buffer.from('{}'), 'k');
    await expect(p.flush()).rejects.toThrow(StreamPutError);
    expect(k.calls).toHaveLength(3);
  });
});
