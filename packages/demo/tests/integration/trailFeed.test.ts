import type { LocalDemo } from '../../src';
import { startSmallDemo } from '../helpers/smallDemo';

jest.setTimeout(300_000);

describe('startLocalDemo({ feed: "both" }) (npm start -- --once --feed both)', () => {
  let demo: LocalDemo | undefined;
  let output = () => '';

  beforeAll(async () => {
    ({ demo, output } = await startSmallDemo({ feed: 'both' }));
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('reads the live period from both feeds and still alerts each injected anomaly exactly once', () => {
    expect(output()).toContain('through Kinesis');
    expect(output()).toMatch(/Delivered \d+ live events as \d+ CloudTrail log files/);
    for (const s of demo!.summary.scenarios) expect(s.alerted).toBe(s.injected);
    expect(demo!.summary.duplicates).toEqual([]);
    expect(demo!.summary.mismatches).toEqual([]);
    expect(demo!.ok).toBe(true);
  });
});
