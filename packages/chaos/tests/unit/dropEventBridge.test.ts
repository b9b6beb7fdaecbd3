import { seededRandom } from '../../src/random';
import { dropEventBridge } from '../../src/trailFeed/dropEventBridge';
import type { Put } from '../../src/workload/planPuts';

const put = (eventId?: string): Put => ({
  data: Buffer.from(eventId ?? 'poison'),
  partitionKey: 'pk',
  ...(eventId !== undefined ? { eventId } : {}),
});

describe('dropEventBridge', () => {
  const puts = [
    ...Array.from({ length: 2000 }, (_, i) => put(`e${i}`)),
    ...Array.from({ length: 100 }, () => put()),
    ...Array.from({ length: 500 }, (_, i) => put(`e${i}`)), // producer-retry copies
  ];

  it('drops about the share asked of valid deliveries, never a poison record', () => {
    const { kept, dropped, lostEvents } = dropEventBridge(puts, 0.05, seededRandom(3));
    expect(dropped).toBeGreaterThan(0.03 * 2500);
    expect(dropped).toBeLessThan(0.07 * 2500);
    expect(kept.length + dropped).toBe(puts.length);
    expect(kept.filter((p) => p.eventId === undefined)).toHaveLength(100);
    // An event is lost to EventBridge only when every copy of it was dropped.
    const keptIds = new Set(kept.map((p) => p.eventId).filter((id) => id !== undefined));
    expect(lostEvents).toBe(2000 - keptIds.size);
    expect(lostEvents).toBeGreaterThan(0);
  });

  it('keeps everything, in order, at rate 0', () => {
    const { kept, dropped } = dropEventBridge(puts, 0, seededRandom(3));
    expect(dropped).toBe(0);
    expect(kept).toEqual(puts);
  });
});
