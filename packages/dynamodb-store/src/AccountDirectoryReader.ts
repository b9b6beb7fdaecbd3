import type { AccountDirectory } from './DynamoAccountDirectory';

/** Where the reader gets the directory: DynamoAccountDirectory, or a fixed one (local demo, tests). */
export interface AccountDirectorySource {
  get(): Promise<{ directory: AccountDirectory; refreshedAt: number } | undefined>;
}

export interface AccountDirectoryReaderOptions {
  /** How long a read directory is reused (default 5 minutes). */
  ttlMs?: number;
  /** A read slower than this is abandoned for this lookup (default 1 s): names never hold up an alert. */
  timeoutMs?: number;
  /** Epoch milliseconds. */
  clock?: () => number;
  /** Told once per failed read; the lookup then answers the last good directory or undefined. */
  onError?: (err: unknown) => void;
}

export const DEFAULT_ACCOUNT_DIRECTORY_TTL_MS = 5 * 60_000;

/**
 * The one reader of the account directory for whoever renders or routes alerts (the dispatcher,
 * redrive, replay's --out, the local demo): the cached directory kept in memory for `ttlMs`.
 * `lookup()` never throws and never waits longer than `timeoutMs`: a missing, unreadable or slow
 * cache answers the last good directory or undefined, and alerts fall back to account ids. A
 * stale directory (the watchdog has not refreshed it) is still used: a name from last week
 * beats a bare id.
 */
export class AccountDirectoryReader {
  private cached: { directory: AccountDirectory | undefined; readAt: number } | undefined;
  private inflight: Promise<AccountDirectory | undefined> | undefined;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly source: AccountDirectorySource,
    private readonly options: AccountDirectoryReaderOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_ACCOUNT_DIRECTORY_TTL_MS;
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.clock = options.clock ?? Date.now;
  }

  async lookup(): Promise<AccountDirectory | undefined> {
    const now = this.clock();
    if (this.cached && now - this.cached.readAt < this.ttlMs) return this.cached.directory;
    this.inflight ??= this.read().finally(() => {
      this.inflight = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.timeoutMs);
      timer.unref?.();
    });
    try {
      const answer = await Promise.race([this.inflight, late]);
      return answer === 'late' ? this.cached?.directory : answer;
    } finally {
      clearTimeout(timer);
    }
  }

  private async read(): Promise<AccountDirectory | undefined> {
    try {
      const got = await this.source.get();
      this.cached = { directory: got?.directory, readAt: this.clock() };
      return got?.directory;
    } catch (err) {
      this.options.onError?.(err);
      // Keep the last good directory; try again after a short pause rather than on every alert.
      const directory = this.cached?.directory;
      this.cached = { directory, readAt: this.clock() - this.ttlMs + Math.min(this.ttlMs, 30_000) };
      return directory;
    }
  }
}
