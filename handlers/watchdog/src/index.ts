import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { parseConfig } from '@firstseen/core';
import { DynamoAccountDirectory, DynamoAlertOutbox, HeartbeatStore } from '@firstseen/dynamodb-store';
import {
  createWatchdogLogger,
  OrganizationsAccountSource,
  readAccountDirectory,
  readWatchdogEnvironment,
  runWatchdog,
} from '@firstseen/watchdog';

const logger = createWatchdogLogger();

// Cold start: a bad environment or config fails here, naming the variable or path.
const env = readWatchdogEnvironment(process.env);
const config = parseConfig(
  env.configPath ? JSON.parse(readFileSync(env.configPath, 'utf8')) : {},
  env.configPath ?? 'default config',
);
const client = new DynamoDBClient({});
const heartbeats = new HeartbeatStore({ client, tableName: env.baselineTable });
const outbox = new DynamoAlertOutbox({ client, tableName: env.alertsTable });
const organizations = new OrganizationsClient({});
const accounts = new OrganizationsAccountSource(organizations);
const directoryCache = new DynamoAccountDirectory(client, env.baselineTable);

export const handler = async () => {
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
