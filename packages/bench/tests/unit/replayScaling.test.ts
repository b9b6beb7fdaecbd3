import { median, scalingRounds } from '../../src/replayScaling';

describe('replay scaling figure', () => {
  it('is the median of the rounds, so one disturbed round does not move it', () => {
    expect(median([1.62, 0.91, 1.55])).toBe(1.55);
    expect(median([1.2, 1.4])).toBe(1.3);
    expect(median([1.5])).toBe(1.5);
  });

  it('takes 3 rounds, 1 with --quick', () => {
    expect(scalingRounds(false)).toBe(3);
    expect(scalingRounds(true)).toBe(1);
  });
});
