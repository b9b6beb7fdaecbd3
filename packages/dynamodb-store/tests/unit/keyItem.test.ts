import type { KeyState } from '@firstseen/core';
import fc from 'fast-check';
import { expiry, expiryValues, keyItem, keyState } from '../../src/keyItem';

/** EXPIRED_CONDITION evaluated as DynamoDB would, on the stored item and the request values. */
function conditionHolds(lastSeen: number, retentionMs: number, t: number): boolean {
  const { expiresAt, expiresAtMs } = expiry(lastSeen, retentionMs);
  const v = expiryValues(t);
  return expiresAt < v[':tSec'] || (expiresAt === v[':tSec'] && expiresAtMs < v[':t']);
}

describe('expiry condition', () => {
  it('treats a key as expired exactly when lastSeen + retention < t, to the millisecond', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }),
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        fc.integer({ min: -5_000, max: 5_000 }),
        (lastSeen, retentionMs, delta) => {
          const t = lastSeen + retentionMs + delta;
          expect(conditionHolds(lastSeen, retentionMs, t)).toBe(lastSeen + retentionMs < t);
        },
      ),
    );
  });

  it('stores the TTL attribute in whole epoch seconds, rounded down', () => {
    expect(expiry(1_700_000_000_999, 1_000)).toEqual({
      expiresAt: 1_700_000_001,
      expiresAtMs: 1_700_000_001_999,
    });
  });
});

describe('keyItem() and keyState()', () => {
  it('round-trips a key state without inventing absent attributes', () => {
    const state: KeyState = {
      lastSeen: 5,
      firstEventId: 'e1',
      succeeded: false,
      source: 'live',
      windowPreviousSeen: 0,
    };
    expect(keyState(keyItem('a#1', state, 10))).toStrictEqual(state);
  });
});
