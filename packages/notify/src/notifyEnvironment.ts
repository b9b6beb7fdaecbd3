import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  environmentReader,
  LOG_LEVEL_VARIABLE,
  lazyRuntime,
  loadConfigFile,
  stdoutMetricsSink,
} from '@firstseen/core';
import { AccountDirectoryReader, DynamoAccountDirectory } from '@firstseen/dynamodb-store';
import type { Logger } from 'pino';
import { createDeliverDeps, type NotifyRuntimeOptions } from './createDeliverDeps';
import { DynamoDeliveryStateStore } from './DynamoDeliveryStateStore';
import { DynamoSlackThreadStore } from './DynamoSlackThreadStore';
import type { DeliverDeps } from './deliverAlerts';
import { envSecretSource, loadSecrets, type SecretSource, secretsManagerSource } from './secrets';

/**
 * The environment of the alert-dispatcher and redrive functions (and the redrive script):
 * - FIRSTSEEN_ALERTS_TABLE (required): the alerts table name.
 * - FIRSTSEEN_BASELINE_TABLE: the baseline table, whose `o#accounts` item is the account
 *   directory (names and OU paths in alerts, routing by OU); unset, alerts name account ids.
 * - FIRSTSEEN_CONFIG_PATH: the config JSON (bundled with the function); defaults apply when unset.
 * - FIRSTSEEN_SECRETS: `secretsmanager` (default on Lambda) or `env` (default elsewhere): where
 *   the secret names of the config are looked up.
 * - FIRSTSEEN_DYNAMODB_ENDPOINT: DynamoDB Local's URL (local only).
 * - FIRSTSEEN_SLACK_API_URL, FIRSTSEEN_PAGERDUTY_EVENTS_URL: local receivers (tests, local stack).
 * - FIRSTSEEN_LOG_LEVEL.
 */
export interface NotifyEnvironment {
  alertsTable: string;
  baselineTable?: string;
  configPath?: string;
  secrets: 'env' | 'secretsmanager';
  dynamoDbEndpoint?: string;
  slackApiBaseUrl?: string;
  pagerDutyEventsUrl?: string;
  logLevel: string;
  /** AWS_LAMBDA_FUNCTION_NAME on Lambda: metrics go to stdout as EMF under this name. */
  functionName?: string;
}

export function readNotifyEnvironment(env: NodeJS.ProcessEnv): NotifyEnvironment {
  const reader = environmentReader(env);
  const alertsTable = reader.required('FIRSTSEEN_ALERTS_TABLE');
  const secrets = reader.oneOf(
    'FIRSTSEEN_SECRETS',
    ['env', 'secretsmanager'],
    env['AWS_LAMBDA_FUNCTION_NAME'] ? 'secretsmanager' : 'env',
  );
  reader.finish('notify');
  const out: NotifyEnvironment = {
    alertsTable,
    secrets,
    logLevel: reader.optional(LOG_LEVEL_VARIABLE) ?? 'info',
  };
  const baselineTable = reader.optional('FIRSTSEEN_BASELINE_TABLE');
  if (baselineTable) out.baselineTable = baselineTable;
  const configPath = reader.optional('FIRSTSEEN_CONFIG_PATH');
  if (configPath) out.configPath = configPath;
  const endpoint = reader.optional('FIRSTSEEN_DYNAMODB_ENDPOINT');
  if (endpoint) out.dynamoDbEndpoint = endpoint;
  const slack = reader.optional('FIRSTSEEN_SLACK_API_URL');
  if (slack) out.slackApiBaseUrl = slack;
  const pd = reader.optional('FIRSTSEEN_PAGERDUTY_EVENTS_URL');
  if (pd) out.pagerDutyEventsUrl = pd;
  const functionName = env['AWS_LAMBDA_FUNCTION_NAME'];
  if (functionName) out.functionName = functionName;
  return out;
}

export interface NotifyRuntimeOverrides
  extends Partial<Omit<NotifyRuntimeOptions, 'config' | 'secrets' | 'store' | 'logger'>> {
  secretSource?: SecretSource;
  dynamoDbClient?: DynamoDBClient;
}

/**
 * Everything the dispatcher and redrive need, built once per cold start: config, secrets (read
 * once, never logged), the alerts-table store, channels and storm control.
 */
export async function createNotifyRuntime(
  env: NotifyEnvironment,
  logger: Logger,
  overrides: NotifyRuntimeOverrides = {},
): Promise<DeliverDeps> {
  const { secretSource, dynamoDbClient, ...rest } = overrides;
  const config = await loadConfigFile(env.configPath);
  const source =
    secretSource ??
    (env.secrets === 'env' ? envSecretSource() : secretsManagerSource(new SecretsManagerClient({})));
  const secrets = await loadSecrets(config, source);
  const client =
    dynamoDbClient ??
    new DynamoDBClient(
      env.dynamoDbEndpoint
        ? {
            endpoint: env.dynamoDbEndpoint,
            region: process.env['AWS_REGION'] ?? 'us-east-1',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {},
    );
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const store = new DynamoDeliveryStateStore(doc, env.alertsTable);
  const slackThreads = new DynamoSlackThreadStore(doc, env.alertsTable);
  const options: NotifyRuntimeOptions = { config, secrets, store, slackThreads, logger, ...rest };
  const needsDirectory = config.routing.rules.some((r) => r.ous || r.accountTags || r.accounts);
  if (needsDirectory && !env.baselineTable && !options.accounts) {
    // Not an error: rules by id still match and the rest fall back to the default route.
    logger.warn(
      'routing rules name OUs, account tags or accounts, but FIRSTSEEN_BASELINE_TABLE is unset: no account directory, rules by account id only',
    );
  }
  if (env.baselineTable && !options.accounts) {
    options.accounts = new AccountDirectoryReader(new DynamoAccountDirectory(doc, env.baselineTable), {
      onError: (err) => logger.warn({ err }, 'account directory unreadable; alerts name account ids'),
    });
  }
  if (env.functionName) {
    options.functionName ??= env.functionName;
    options.metrics ??= stdoutMetricsSink;
  }
  if (env.slackApiBaseUrl && !options.slackApiBaseUrl) options.slackApiBaseUrl = env.slackApiBaseUrl;
  if (env.pagerDutyEventsUrl && !options.pagerDutyEventsUrl)
    options.pagerDutyEventsUrl = env.pagerDutyEventsUrl;
  return createDeliverDeps(options);
}

/**
 * The handlers' cold start: builds the runtime from `env` on first use and keeps it for the
 * container's life. A failed start (a bad config, a missing secret, a malformed webhook URL)
 * is logged as one line naming the problem, fails that invocation, and is tried again on the
 * next one rather than cached.
 */
export function lazyNotifyRuntime(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  overrides: NotifyRuntimeOverrides = {},
): () => Promise<DeliverDeps> {
  return lazyRuntime(async () => {
    try {
      return await createNotifyRuntime(readNotifyEnvironment(env), logger, overrides);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      logger.fatal({ err }, `cold start failed: ${message.split('\n')[0]}`);
      throw err;
    }
  });
}
