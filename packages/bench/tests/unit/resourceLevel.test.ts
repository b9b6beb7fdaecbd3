import { parseConfig } from '@firstseen/core';
import { measureResourceLevel, withS3Share } from '../../src/resourceLevel';
import { QUICK_WORKLOAD, type WorkloadSpec, workloadValues } from '../../src/workload';

// Issue 23: the bench measures the opt-in resource level's requests per 1,000 events, off and on,
// on a workload where 20% of the events are S3 calls.

const SPEC: WorkloadSpec = { ...QUICK_WORKLOAD, days: 1, eventsPerDay: 3_000 };
const values = () => workloadValues(SPEC);
const isS3 = (v: unknown) => (v as { eventSource?: string }).eventSource === 's3.amazonaws.com';

async function collect(it: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of it) out.push(v);
  return out;
}

describe('withS3Share()', () => {
  it('keeps every S3 record and thins the others, deterministically, to a 20% S3 share', async () => {
    const all = await collect(values());
    const thinned = await collect(withS3Share(values));
    expect(all.filter(isS3).length / all.length).toBeLessThan(0.19);
    expect(thinned.filter(isS3)).toEqual(all.filter(isS3));
    expect(thinned.filter(isS3).length / thinned.length).toBeCloseTo(0.2, 1);
    expect(await collect(withS3Share(values))).toEqual(thinned);
  });
});

describe('measureResourceLevel()', () => {
  it('measures the same workload with the level off and on: more requests on, within the goal', async () => {
    const r = await measureResourceLevel(values, parseConfig({}));
    expect(r.s3Share).toBeCloseTo(0.2, 1);
    expect(r.per1kOn.firstseen).toBeGreaterThan(r.per1kOff.firstseen);
    expect(r.ratio).toBeCloseTo(r.per1kOn.firstseen / r.per1kOff.firstseen, 9);
    expect(r.ratio).toBeLessThanOrEqual(1.35);
  });
});
