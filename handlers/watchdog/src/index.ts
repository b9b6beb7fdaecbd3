import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseConfig } from '@firstseen/core';
import { DynamoAlertOutbox, HeartbeatStore } from '@firstseen/dynamodb-store';
import { createWatchdogLogger, readWatchdogEnvironment, runWatchdog } from '@firstseen/watchdog';

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

export const handler = async () => {
  const result = await runWatchdog({
    heartbeats: { list: () => heartbeats.listHeartbeats() },
    outbox: { put: (alert) => outbox.put(alert, config.alertRetentionDays) },
    silenceMs: env.silenceMs,
    clock: Date.now,
  });
  const summary = { checked: result.checked, silent: result.silent.length, alerted: result.alerted };
  logger.info(
    { ...summary, silentTargets: result.silent.map((h) => `${h.account}/${h.region}`) },
    'watchdog run',
  );
  return summary;
};
