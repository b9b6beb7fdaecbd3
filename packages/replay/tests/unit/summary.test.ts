import type { Decoded } from '@firstseen/core';
import { countOutcome, EventTimeBounds, emptySummary } from '../../src/summary';

function observedAt(time: number): Decoded {
  return { outcome: 'observed', event: { time } } as unknown as Decoded;
}

/** The summary's first and last event times after counting `times` with countOutcome and with EventTimeBounds. */
function bothWays(times: number[], start?: { first: string; last: string }) {
  const slow = emptySummary('simulate', 'x');
  const fast = emptySummary('simulate', 'x');
  if (start) {
    for (const s of [slow, fast]) {
      s.firstEventTime = start.first;
      s.lastEventTime = start.last;
    }
  }
  const bounds = new EventTimeBounds(fast);
  for (const t of times) {
    countOutcome(slow, observedAt(t));
    bounds.add(t);
  }
  bounds.write();
  return { slow: [slow.firstEventTime, slow.lastEventTime], fast: [fast.firstEventTime, fast.lastEventTime] };
}

describe('EventTimeBounds', () => {
  it('gives the first and last event times that countOutcome gives, in any order', () => {
    const day = Date.UTC(2025, 0, 6);
    const { slow, fast } = bothWays([day + 5_000, day + 7, day + 90_000_000, day + 7, day + 1]);
    expect(fast).toEqual(slow);
    expect(fast).toEqual(['2025-01-06T00:00:00.001Z', '2025-01-07T01:00:00.000Z']);
  });

  it('continues from the times of a resumed summary', () => {
    const start = { first: '2025-01-06T00:00:00.000Z', last: '2025-01-08T00:00:00.000Z' };
    const { slow, fast } = bothWays(
      [Date.UTC(2025, 0, 7), Date.UTC(2025, 0, 9), Date.UTC(2025, 0, 5)],
      start,
    );
    expect(fast).toEqual(slow);
    expect(fast).toEqual(['2025-01-05T00:00:00.000Z', '2025-01-09T00:00:00.000Z']);
  });

  it('compares as strings, like countOutcome, for times outside years 0000-9999', () => {
    const far = Date.parse('+010000-01-01T00:00:00.000Z');
    const { slow, fast } = bothWays([Date.UTC(2025, 0, 6), far, Date.UTC(2024, 0, 1)]);
    expect(fast).toEqual(slow);
    expect(fast[0]).toBe('+010000-01-01T00:00:00.000Z');
  });
});
