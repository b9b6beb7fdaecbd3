import type { LocalDemo } from '../../src';
import { startSmallDemo } from '../helpers/smallDemo';

// `npm start -- --once --config <{"levels": {"resource": true}}>` (issue 23): the demo runs with
// the opt-in resource level, injects the exfiltration (a GetObject the role always makes, on a
// bucket it never touched) and must alert it exactly once, at the resource level alone, through
// the real local pipeline (Kinesis, DynamoDB Local, the detector and dispatcher handlers).

jest.setTimeout(300_000);

describe('startLocalDemo() with levels.resource on', () => {
  let demo: LocalDemo | undefined;
  let output = () => '';

  beforeAll(async () => {
    ({ demo, output } = await startSmallDemo({ configInput: { levels: { resource: true } }, env: {} }));
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('alerts the injected exfiltration exactly once, as the resource level alone', () => {
    const exfiltration = demo!.summary.scenarios.find((s) => s.scenario === 'exfiltration');
    expect(exfiltration).toEqual(expect.objectContaining({ injected: 1, alerted: 1, ok: true }));
    expect(output()).toMatch(/levels: resource\b/);
    expect(output()).toMatch(/resource s3:finance-exports-\d{12}/);
  });

  it('alerts every other injected anomaly as before, with nothing duplicated or missed', () => {
    expect(demo!.summary.scenarios.length).toBeGreaterThan(1);
    expect(demo!.summary.scenarios.filter((s) => !s.ok)).toEqual([]);
    expect(demo!.summary.duplicates).toEqual([]);
    expect(demo!.summary.mismatches).toEqual([]);
    expect(demo!.ok).toBe(true);
  });
});
