import { BenchmarkError } from '../../src/errors';
import { SlackDeliveries } from '../../src/slackDeliveries';

const A = '11111111-2222-4333-8444-555555555555';
const B = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const C = '99999999-8888-4777-8666-555555555555';

describe('SlackDeliveries', () => {
  it('measures each alert once, from when its event entered to its arrival, across waits', async () => {
    const requests = [
      { raw: `new action, event ${A}`, receivedAt: 1_250 },
      { raw: `thread reply quoting ${A} again`, receivedAt: 1_900 },
    ];
    const deliveries = new SlackDeliveries({ requests });
    const entered = new Map([
      [A, 1_000],
      [B, 2_000],
    ]);
    expect(await deliveries.latencies(entered, 1, 1_000, 'alerts')).toEqual([250]);
    // Arrives while waiting; an id entered in no phase (C) is ignored.
    setTimeout(() => requests.push({ raw: `${C} and ${B}`, receivedAt: 2_400 }), 20);
    expect(await deliveries.latencies(entered, 1, 2_000, 'alerts')).toEqual([400]);
  });

  it('gives up after the timeout, saying how many arrived', async () => {
    const deliveries = new SlackDeliveries({ requests: [{ raw: A, receivedAt: 5 }] });
    const run = deliveries.latencies(new Map([[A, 0]]), 2, 120, 'trail-feed alerts');
    await expect(run).rejects.toThrow(BenchmarkError);
    await expect(run).rejects.toThrow('only 1 of 2 trail-feed alerts reached the Slack receiver');
  });
});
