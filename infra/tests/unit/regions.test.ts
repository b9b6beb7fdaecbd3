import { resolveForwardedRegions, unforwardedRegionsWarning } from '../../src/regions';

const ENABLED = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-3'];

describe('resolveForwardedRegions()', () => {
  it('forwards every enabled region when no list is configured', () => {
    expect(resolveForwardedRegions(undefined, ENABLED)).toEqual({
      regions: ['ap-southeast-3', 'eu-west-1', 'us-east-1', 'us-west-2'],
      unforwarded: [],
    });
  });

  it('reports the enabled regions a configured list omits', () => {
    expect(resolveForwardedRegions(['us-east-1', 'eu-west-1'], ENABLED)).toEqual({
      regions: ['eu-west-1', 'us-east-1'],
      unforwarded: ['ap-southeast-3', 'us-west-2'],
    });
  });

  it('still requires us-east-1 in a configured list', () => {
    expect(() => resolveForwardedRegions(['eu-west-1'], ENABLED)).toThrow(/must include us-east-1/);
  });
});

describe('unforwardedRegionsWarning()', () => {
  it('names the blind regions and the two ways out', () => {
    const w = unforwardedRegionsWarning(['us-west-2']);
    expect(w).toMatch(/omits 1 enabled region\(s\): us-west-2/);
    expect(w).toMatch(/SCP on aws:RequestedRegion/);
  });

  it('says nothing when every enabled region is forwarded', () => {
    expect(unforwardedRegionsWarning([])).toBeUndefined();
  });
});
