/**
 * The pieces of a parallel replay's scheduling (issue 19): chunks claimed by whichever worker is
 * free, the inbox that waits for a chunk's events, and principals dealt out by weight.
 */
import { MessageChannel } from 'node:worker_threads';
import { ChunkClaims, ChunkInbox, chunkClaimsBuffer } from '../../src/parallel/chunks';
import { encodeEvents } from '../../src/parallel/eventCodec';
import { hashOwner, PrincipalOwners, planOwners, sampleObjects } from '../../src/parallel/owners';
import { packObjects, unpackObjects } from '../../src/parallel/protocol';

describe('ChunkClaims', () => {
  it('gives each chunk to exactly one worker, then none', () => {
    const buffer = chunkClaimsBuffer(5, 2);
    const a = new ChunkClaims(buffer, 5, 2, 0);
    const b = new ChunkClaims(buffer, 5, 2, 1);
    const got = [a.claim(), b.claim(), b.claim(), a.claim(), a.claim(), b.claim(), a.claim()];
    expect(got).toEqual([0, 1, 2, 3, 4, undefined, undefined]);
    expect([0, 1, 2, 3, 4].map((c) => a.workerOf(c))).toEqual([0, 1, 1, 0, 0]);
    expect(a.next()).toBe(5);
  });

  it('knows the slowest worker', () => {
    const buffer = chunkClaimsBuffer(10, 3);
    const views = [0, 1, 2].map((w) => new ChunkClaims(buffer, 10, 3, w));
    views[0]!.processed(7);
    views[1]!.processed(3);
    views[2]!.processed(9);
    expect(views[0]!.slowest()).toBe(3);
  });
});

describe('ChunkInbox', () => {
  function setup() {
    const buffer = chunkClaimsBuffer(4, 2);
    const me = new ChunkClaims(buffer, 4, 2, 0);
    const peer = new ChunkClaims(buffer, 4, 2, 1);
    const { port1, port2 } = new MessageChannel();
    const inbox = new ChunkInbox([undefined, port1], me);
    return { me, peer, port1, port2, inbox };
  }
  /** One event of object i, as a peer sends it (eventCodec.ts). */
  const event = (i: number) => ({
    i,
    r: 0,
    e: {
      eventId: `e${i}`,
      eventTime: '2024-01-01T00:00:00Z',
      time: 0,
      account: '111122223333',
      region: 'us-east-1',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      action: 's3.amazonaws.com:GetObject',
      principal: 'role/a',
      identityType: 'AssumedRole',
      failed: false,
      record: {},
    },
  });

  it('hands over a chunk sent before or after the wait', async () => {
    const { peer, port1, port2, inbox } = setup();
    expect(peer.claim()).toBe(0);
    expect(peer.claim()).toBe(1);
    port2.postMessage({ c: 1, events: encodeEvents([event(1)]) });
    await new Promise((r) => setTimeout(r, 20));
    // What a worker asks before parsing more instead of waiting.
    expect([inbox.has(0), inbox.has(1)]).toEqual([false, true]);
    const zero = inbox.take(0);
    port2.postMessage({ c: 0, events: encodeEvents([event(0)]) });
    expect((await zero).map((x) => x.i)).toEqual([0]);
    expect((await inbox.take(1)).map((x) => x.i)).toEqual([1]);
    port1.close();
  });

  it('fails the wait when the peer holding the chunk stops', async () => {
    const { peer, port2, inbox } = setup();
    expect(peer.claim()).toBe(0);
    const wait = inbox.take(0);
    port2.close();
    await expect(wait).rejects.toThrow('worker 2 stopped before sending the events of chunk 0');
  });

  it('fails the wait for an unclaimed chunk once a peer has stopped (it held the others back)', async () => {
    const { port2, inbox } = setup();
    port2.close();
    await new Promise((r) => setTimeout(r, 20));
    await expect(inbox.take(2)).rejects.toThrow('worker 2 stopped before sending the events of chunk 2');
  });
});

describe('owners', () => {
  it('deals the heaviest principals first, each to the least loaded worker', () => {
    const counts = new Map([
      ['role/payments-api', 34],
      ['role/orders-api', 19],
      ['role/checkout-web', 14],
      ['role/inventory', 11],
      ['role/small', 2],
    ]);
    const plan = planOwners(counts, 2);
    const load = [0, 0];
    for (const [p, w] of plan) load[w]! += counts.get(p)!;
    // 34 | 19, 14 (33) | 11 on the lighter: 33 + 11 | 2 on the lighter: 34 + 2.
    expect(plan).toEqual([
      ['role/payments-api', 0],
      ['role/orders-api', 1],
      ['role/checkout-web', 1],
      ['role/inventory', 1],
      ['role/small', 0],
    ]);
    expect(load).toEqual([36, 44]);
    // A plain hash of the same principals is far from even (the reason for the plan): 64 | 16.
    const hashed = [0, 0];
    for (const [p, n] of counts) hashed[hashOwner(p, 2)]! += n;
    expect(hashed).toEqual([64, 16]);
  });

  it('sends a principal the sample missed by hash', () => {
    const owners = new PrincipalOwners(3, [['role/a', 2]]);
    expect(owners.of('role/a')).toBe(2);
    expect(owners.of('role/unseen')).toBe(hashOwner('role/unseen', 3));
  });

  it('samples 1 object in 64 spread over the whole listing, at most 512', () => {
    const objects = Array.from({ length: 6400 }, (_, i) => i);
    const sample = sampleObjects(objects);
    expect(sample).toHaveLength(100);
    expect(sample[0]).toBe(0);
    expect(sample[99]).toBe(6336);
    expect(sampleObjects(Array.from({ length: 100_000 }, (_, i) => i))).toHaveLength(512);
    expect(sampleObjects([7])).toEqual([7]);
    expect(sampleObjects([])).toEqual([]);
  });
});

describe('packObjects', () => {
  it('gives a worker thread back the objects it was sent, key for key', () => {
    const objects = [
      {
        key: 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/01/a_20240101T0000Z_x.json.gz',
        delivery: '20240101T0000Z',
        size: 1234,
      },
      { key: 'odd/ключ 🔑\n\u0000/b.json', delivery: '' },
      { key: '', delivery: '20240101T0005Z', size: 0 },
    ];
    const packed = packObjects(objects);
    // A few strings and typed arrays: what a thread copies fastest.
    expect(typeof packed.keys).toBe('string');
    expect(packed.sizes).toBeInstanceOf(Float64Array);
    const received = unpackObjects(structuredClone(packed));
    expect(received).toEqual(objects);
    // No size stays absent, not undefined.
    expect('size' in received[1]!).toBe(false);
    expect(unpackObjects(packObjects([]))).toEqual([]);
  });
});
