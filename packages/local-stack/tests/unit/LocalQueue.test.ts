import type { SQSEvent } from 'aws-lambda';
import { LocalQueue } from '../../src/LocalQueue';
import { QueuePoller } from '../../src/QueuePoller';

function queues(now: { t: number }, maxReceiveCount = 3) {
  const dlq = new LocalQueue({ name: 'dlq', clock: () => now.t });
  const queue = new LocalQueue({
    visibilityTimeoutMs: 1000,
    maxReceiveCount,
    deadLetterQueue: dlq,
    clock: () => now.t,
  });
  return { queue, dlq };
}

describe('LocalQueue', () => {
  it('receives up to the batch size and hides received messages for the visibility timeout', () => {
    const now = { t: 0 };
    const { queue } = queues(now);
    for (const b of ['a', 'b', 'c']) queue.send(b);

    expect(queue.receive(2).map((r) => r.body)).toEqual(['a', 'b']);
    expect(queue.receive(10).map((r) => r.body)).toEqual(['c']);
    expect(queue.receive(10)).toEqual([]);
    now.t = 1000;
    const again = queue.receive(10);
    expect(again.map((r) => [r.body, r.attributes.ApproximateReceiveCount])).toEqual([
      ['a', '2'],
      ['b', '2'],
      ['c', '2'],
    ]);
  });

  it('deletes only by the latest receipt handle', () => {
    const now = { t: 0 };
    const { queue } = queues(now);
    queue.send('a');
    const [first] = queue.receive(1);
    now.t = 1000;
    const [second] = queue.receive(1);

    expect(queue.delete(first!.receiptHandle)).toBe(false);
    expect(queue.delete(second!.receiptHandle)).toBe(true);
    expect(queue.size).toBe(0);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', () => {
    const now = { t: 0 };
    const { queue, dlq } = queues(now, 2);
    queue.send('poison');
    expect(queue.receive(1)).toHaveLength(1);
    now.t += 1000;
    expect(queue.receive(1)).toHaveLength(1);
    now.t += 1000;

    expect(queue.receive(1)).toEqual([]);
    expect(queue.size).toBe(0);
    expect(dlq.bodies()).toEqual(['poison']);
  });
});

describe('QueuePoller', () => {
  it('deletes the messages a partial batch response acknowledges and redelivers the rest', async () => {
    const now = { t: 0 };
    const { queue, dlq } = queues(now, 2);
    queue.send('ok');
    queue.send('flaky');
    const seen: string[] = [];
    const poller = new QueuePoller({
      queue,
      handler: async (event: SQSEvent) => {
        seen.push(...event.Records.map((r) => r.body));
        return {
          batchItemFailures: event.Records.filter((r) => r.body === 'flaky').map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      },
    });

    expect(await poller.pollOnce()).toBe(2);
    expect(queue.size).toBe(1);
    expect(await poller.pollOnce()).toBe(0);
    now.t += 1000;
    expect(await poller.pollOnce()).toBe(1);
    now.t += 1000;
    expect(await poller.pollOnce()).toBe(0);
    expect(seen).toEqual(['ok', 'flaky', 'flaky']);
    expect(dlq.bodies()).toEqual(['flaky']);
  });

  it('keeps the whole batch when the handler throws', async () => {
    const now = { t: 0 };
    const { queue } = queues(now);
    queue.send('a');
    const errors: unknown[] = [];
    const poller = new QueuePoller({
      queue,
      handler: async () => {
        throw new Error('boom');
      },
      onError: (err) => errors.push(err),
    });

    expect(await poller.pollOnce()).toBe(1);
    expect(queue.size).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
