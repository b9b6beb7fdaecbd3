import { DeliveryError } from '../../src/errors';
import { DEFAULT_RETRY_POLICY, fullJitterDelay, sendWithRetry } from '../../src/sendWithRetry';

function fakeTime(remainingMs = 60_000) {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    deps: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
      random: () => 0.5,
      remainingTimeMs: () => remainingMs - now,
    },
  };
}

const transient = (retryAfterMs?: number) =>
  new DeliveryError(
    'HTTP 500',
    retryAfterMs === undefined ? { permanent: false } : { permanent: false, retryAfterMs },
  );

describe('sendWithRetry()', () => {
  it('stops at the first permanent error', async () => {
    const t = fakeTime();
    const send = jest
      .fn()
      .mockRejectedValue(
        new DeliveryError('slack webhook HTTP 404 channel_not_found', { permanent: true, status: 404 }),
      );
    const out = await sendWithRetry(send, DEFAULT_RETRY_POLICY, t.deps);
    expect(out).toEqual({
      status: 'permanent',
      attempts: 1,
      lastError: 'slack webhook HTTP 404 channel_not_found',
    });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('retries transient errors with full-jitter backoff until delivered', async () => {
    const t = fakeTime();
    const send = jest
      .fn()
      .mockRejectedValueOnce(transient())
      .mockRejectedValueOnce(transient())
      .mockResolvedValue(undefined);
    const out = await sendWithRetry(send, DEFAULT_RETRY_POLICY, t.deps);
    expect(out).toEqual({ status: 'delivered', attempts: 3 });
    expect(t.sleeps).toEqual([250, 500]);
  });

  it('waits exactly the Retry-After the service asked for', async () => {
    const t = fakeTime();
    const send = jest.fn().mockRejectedValueOnce(transient(7_000)).mockResolvedValue(undefined);
    await sendWithRetry(send, DEFAULT_RETRY_POLICY, t.deps);
    expect(t.sleeps).toEqual([7_000]);
  });

  it('gives up for this invocation when Retry-After exceeds the remaining time', async () => {
    const t = fakeTime(30_000);
    const send = jest.fn().mockRejectedValue(transient(120_000));
    const out = await sendWithRetry(send, DEFAULT_RETRY_POLICY, t.deps);
    expect(out.status).toBe('failed');
    expect(send).toHaveBeenCalledTimes(1);
    expect(t.sleeps).toEqual([]);
  });

  it('bounds each request timeout by the remaining time', async () => {
    const t = fakeTime(3_000);
    const timeouts: number[] = [];
    await sendWithRetry(async (ms) => void timeouts.push(ms), DEFAULT_RETRY_POLICY, t.deps);
    expect(timeouts).toEqual([1_000]);
  });
});

describe('fullJitterDelay()', () => {
  it('stays below min(cap, base * 2^(attempt-1))', () => {
    expect(fullJitterDelay(1, DEFAULT_RETRY_POLICY, () => 0.999)).toBeLessThan(500);
    expect(fullJitterDelay(4, DEFAULT_RETRY_POLICY, () => 0.999)).toBeLessThan(4_000);
    expect(fullJitterDelay(20, DEFAULT_RETRY_POLICY, () => 0.999)).toBeLessThan(20_000);
    expect(fullJitterDelay(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
  });
});
