import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLogger, lazyRuntime, loadConfigFile } from '@firstseen/core';
import { DynamoAlertOutbox, HeartbeatStore } from '@firstseen/dynamodb-store';
import { readWatchdogEnvironment, runWatchdog } from '@firstseen/watchdog';

// A bad environment fails here, naming the variable; a bad config rejects the run, naming the path.
const logger = createLogger({ name: 'watchdog' });
const env = readWatchdogEnvironment(process.env);
const runtime = lazyRuntime(async () => {
  const config = await loadConfigFile(env.configPath);
  const client = new DynamoDBClient({});
  const heartbeats = new HeartbeatStore({ client, tableName: env.baselineTable });
  const outbox = new DynamoAlertOutbox({ client, tableName: env.alertsTable });
  return { heartbeats, outbox, alertRetentionDays: config.alertRetentionDays };
});

export const handler = async () => {
  const { heartbeats, outbox, alertRetentionDays } = await runtime();
  const result = await runWatchdog({
    heartbeats: { list: () => heartbeats.listHeartbeats() },
    outbox: { put: (alert) => outbox.put(alert, alertRetentionDays) },
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
