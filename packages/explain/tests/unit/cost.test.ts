import { measureCost } from '../helpers/measureCost';

describe('the cost of explanations', () => {
  it('adds at most 10% to the store requests per 1,000 events on a generated organization', async () => {
    const workload = { seed: 'firstseen-bench', start: Date.UTC(2025, 0, 6), days: 14, eventsPerDay: 3000 };
    const off = await measureCost({ ...workload, days: 2, explain: false });
    const onShort = await measureCost({ ...workload, days: 2, explain: true });
    // The observer never changes what the engine does: same engine requests either way.
    expect(onShort.engineRequests).toBe(off.engineRequests);
    const on = await measureCost({ ...workload, explain: true });
    const perK = (n: number) => (n / on.events) * 1000;
    const without = perK(on.engineRequests);
    const withExplain = perK(on.engineRequests + on.explainRequests);
    expect(on.explainRequests).toBeGreaterThan(0);
    expect(withExplain / without).toBeLessThanOrEqual(1.1);
  });
});
