import { AccountDirectoryReader } from '../../src';
import type { AccountDirectorySource } from '../../src/AccountDirectoryReader';

const DIRECTORY = { '552650195104': { name: 'payments-prod', ouPath: 'Production/Payments' } };

function source(answers: Array<() => Promise<Awaited<ReturnType<AccountDirectorySource['get']>>>>) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    get: () => {
      const answer = answers[Math.min(calls, answers.length - 1)]!;
      calls++;
      return answer();
    },
  };
}

describe('AccountDirectoryReader', () => {
  it('reads once per TTL', async () => {
    let now = 0;
    const s = source([async () => ({ directory: DIRECTORY, refreshedAt: 1 })]);
    const reader = new AccountDirectoryReader(s, { ttlMs: 1000, clock: () => now });
    expect(await reader.lookup()).toEqual(DIRECTORY);
    now = 999;
    await reader.lookup();
    expect(s.calls).toBe(1);
    now = 1000;
    await reader.lookup();
    expect(s.calls).toBe(2);
  });

  it('answers undefined for a missing cache item, so alerts name ids', async () => {
    const reader = new AccountDirectoryReader(source([async () => undefined]));
    expect(await reader.lookup()).toBeUndefined();
  });

  it('keeps the last good directory when a read fails, and reports the failure', async () => {
    let now = 0;
    const errors: unknown[] = [];
    const s = source([
      async () => ({ directory: DIRECTORY, refreshedAt: 1 }),
      async () => {
        throw new Error('ResourceNotFoundException');
      },
    ]);
    const reader = new AccountDirectoryReader(s, {
      ttlMs: 1000,
      clock: () => now,
      onError: (e) => errors.push(e),
    });
    await reader.lookup();
    now = 5000;
    expect(await reader.lookup()).toEqual(DIRECTORY);
    expect(errors).toHaveLength(1);
  });

  it('never throws when the first read fails', async () => {
    const reader = new AccountDirectoryReader(
      source([
        async () => {
          throw new Error('AccessDenied');
        },
      ]),
    );
    await expect(reader.lookup()).resolves.toBeUndefined();
  });

  it('gives up on a slow read after timeoutMs rather than holding an alert', async () => {
    const reader = new AccountDirectoryReader(
      source([() => new Promise((resolve) => setTimeout(() => resolve(undefined), 5_000).unref())]),
      { timeoutMs: 20 },
    );
    const started = Date.now();
    expect(await reader.lookup()).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
