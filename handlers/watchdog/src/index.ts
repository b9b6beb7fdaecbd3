import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { createLogger, lazyRuntime, loadConfigFile } from '@firstseen/core';
import { DynamoAccountDirectory, DynamoAlertOutbox, HeartbeatStore } from '@firstseen/dynamodb-store';
import {
  OrganizationsAccountSource,
  readAccountDirectory,
  readWatchdogEnvironment,
  runWatchdog,
} from '@firstseen/watchdog';

// A bad environment fails here, naming the variable; a bad config rejects the run, naming the path.
const logger = createLogger({ name: 'watchdog' });
const env = readWatchdogEnvironment(process.env);
const runtime = lazyRuntime(async () => {
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
});

export const handler = async () => {
  const { config, heartbeats, outbox, organizations, accounts, directoryCache } = await runtime();
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
    clock: Date.now,
    directory: {
      read: () => readAccountDirectory(organizations),
      put: (directory, at) => directoryCache.put(directory, at),
    },
    // Events of ignored accounts and regions never reach the detector's heartbeats.
    ignore: { accounts: config.ignore.accounts, regions: config.ignore.regions },
  });
  const summary = {
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
};
