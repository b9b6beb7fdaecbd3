import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { type Config, loadConfigFile } from '@firstseen/core';
import { DynamoAccountDirectory, DynamoAlertOutbox, HeartbeatStore } from '@firstseen/dynamodb-store';
import type { Logger } from 'pino';
import type { WatchdogEnvironment } from './environment';
import { OrganizationsAccountSource } from './OrganizationsAccountSource';
import { readAccountDirectory } from './readAccountDirectory';
import { runWatchdog } from './runWatchdog';

/** What the scheduled watchdog builds once per cold start: its config, stores and clients. */
export interface WatchdogRuntime {
  config: Config;
  heartbeats: HeartbeatStore;
  outbox: DynamoAlertOutbox;
  organizations: OrganizationsClient;
  accounts: OrganizationsAccountSource;
  directoryCache: DynamoAccountDirectory;
}

/** Builds the runtime; a bad config rejects, naming its path. */
export async function createWatchdogRuntime(env: WatchdogEnvironment): Promise<WatchdogRuntime> {
  const config = await loadConfigFile(env.configPath);
  const client = new DynamoDBClient({});
  const organizations = new OrganizationsClient({});
  return {
    config,
    heartbeats: new HeartbeatStore({ client, tableName: env.baselineTable }),
    outbox: new DynamoAlertOutbox({ client, tableName: env.alertsTable }),
    organizations,
    accounts: new OrganizationsAccountSource(organizations),
    directoryCache: new DynamoAccountDirectory(client, env.baselineTable),
  };
}

/** What one scheduled run returns (and logs, with the first 100 targets of each kind). */
export interface ScheduledRunSummary {
  expected: number;
  newlyExpected: number;
  silent: number;
  neverReported: number;
  alerted: number;
  directory: Awaited<ReturnType<typeof runWatchdog>>['directory'];
}

/**
 * One scheduled run: which (account, region) pairs are silent or never reported, alerts for
 * them, and the account directory refreshed from Organizations.
 */
export async function runScheduledWatchdog(
  runtime: WatchdogRuntime,
  env: WatchdogEnvironment,
  logger: Logger,
  clock: () => number = Date.now,
): Promise<ScheduledRunSummary> {
  const { config, heartbeats, outbox, organizations, accounts, directoryCache } = runtime;
  const result = await runWatchdog({
    accounts,
    regions: env.regions,
    heartbeats: {
      get: (pairs) => heartbeats.getHeartbeats(pairs),
      markExpected: (pairs, now) => heartbeats.markExpected(pairs, now),
    },
    outbox: { put: (alert) => outbox.put(alert, config.alertRetentionDays) },
    silenceMs: env.silenceMs,
    neverReportedGraceMs: env.neverReportedGraceMs,
    clock,
    directory: {
      read: () => readAccountDirectory(organizations),
      put: (directory, at) => directoryCache.put(directory, at),
    },
    // Events of ignored accounts and regions never reach the detector's heartbeats.
    ignore: { accounts: config.ignore.accounts, regions: config.ignore.regions },
  });
  const summary: ScheduledRunSummary = {
    expected: result.expected,
    newlyExpected: result.newlyExpected,
    silent: result.silent.length,
    neverReported: result.neverReported.length,
    alerted: result.alerted,
    directory: result.directory,
  };
  logger.info(
    {
      ...summary,
      silentTargets: result.silent.map((h) => `${h.account}/${h.region}`).slice(0, 100),
      neverReportedTargets: result.neverReported.map((h) => `${h.account}/${h.region}`).slice(0, 100),
    },
    'watchdog run',
  );
  return summary;
}
