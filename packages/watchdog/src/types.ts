import type { Alert } from '@firstseen/core';
import type { AccountDirectory } from '@firstseen/dynamodb-store';

/** One (account, region) the watchdog expects events from. */
export interface AccountRegion {
  account: string;
  region: string;
}

/** What the heartbeat item `h#<account>#<region>` holds. */
export interface Heartbeat extends AccountRegion {
  /** Epoch milliseconds of the newest event seen from this pair; absent: never heard from. */
  lastEventTime?: number;
  /** Epoch milliseconds: when the watchdog first expected events from this pair. */
  expectedSince?: number;
}

/** The heartbeats, read by key: the cost is one item per pair asked, not the size of the baseline. */
export interface HeartbeatSource {
  /** The heartbeats of these pairs; a pair without an item is left out. */
  get(pairs: readonly AccountRegion[]): Promise<Heartbeat[]>;
  /** Records `expectedSince = now` on these pairs unless already set. */
  markExpected(pairs: readonly AccountRegion[], now: number): Promise<void>;
}

/** The accounts that should send events: the ACTIVE accounts of the organization, read each run. */
export interface ExpectedAccountsSource {
  listActiveAccounts(): Promise<string[]>;
}

/** The alerts outbox: a conditional put on alertId; resolves false when the alert already exists. */
export interface AlertOutbox {
  put(alert: Alert): Promise<boolean>;
}

export interface WatchdogOptions {
  accounts: ExpectedAccountsSource;
  /** The forwarded regions: every expected account should send events from each. */
  regions: readonly string[];
  heartbeats: HeartbeatSource;
  outbox: AlertOutbox;
  /** An expected pair whose last event is older than this is silent. */
  silenceMs: number;
  /** An expected pair never heard from this long after it became expected alerts. */
  neverReportedGraceMs: number;
  /** Epoch milliseconds. */
  clock: () => number;
  /** Accounts or regions (globs) that are expected to stay silent, e.g. a closed sandbox. */
  ignore?: { accounts?: string[]; regions?: string[] };
  /**
   * Refreshes the cached account names and OU paths each run (issue 24). A failure is reported
   * in the result and never fails the run: alerts fall back to account ids.
   */
  directory?: {
    read(): Promise<AccountDirectory>;
    put(directory: AccountDirectory, refreshedAt: number): Promise<void>;
  };
}

export interface WatchdogResult {
  /** Pairs expected this run (ACTIVE accounts x forwarded regions, minus ignored). */
  expected: number;
  /** Pairs that became expected this run (their `expectedSince` was written). */
  newlyExpected: number;
  silent: Heartbeat[];
  neverReported: Heartbeat[];
  /** Alerts written by this run (an episode already alerted on is not written again). */
  alerted: number;
  /** Accounts in the refreshed directory, or why the refresh failed (absent without `directory`). */
  directory?: { accounts: number } | { error: string };
}
