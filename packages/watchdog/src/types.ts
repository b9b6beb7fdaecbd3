import type { Alert } from '@firstseen/core';

/** The latest event time seen from one (account, region): the detector's `h#<account>#<region>` item. */
export interface Heartbeat {
  account: string;
  region: string;
  /** Epoch milliseconds of the newest event seen from this (account, region). */
  lastEventTime: number;
}

/** Reads every heartbeat the detector has written. */
export interface HeartbeatSource {
  list(): Promise<Heartbeat[]>;
}

/** The alerts outbox: a conditional put on alertId; resolves false when the alert already exists. */
export interface AlertOutbox {
  put(alert: Alert): Promise<boolean>;
}

export interface WatchdogOptions {
  heartbeats: HeartbeatSource;
  outbox: AlertOutbox;
  /** An (account, region) whose last event is older than this is silent. */
  silenceMs: number;
  /** Epoch milliseconds. */
  clock: () => number;
  /** Accounts or regions (globs) that are expected to fall silent, e.g. a closed sandbox. */
  ignore?: { accounts?: string[]; regions?: string[] };
}

export interface WatchdogResult {
  checked: number;
  silent: Heartbeat[];
  /** Alerts written by this run (a silence already alerted on is not written again). */
  alerted: number;
}
