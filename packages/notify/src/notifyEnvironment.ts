import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Config, ConfigError, environmentReader, parseConfig } from '@firstseen/core';
import type { Logger } from 'pino';
import { createDeliverDeps, type NotifyRuntimeOptions } from './createDeliverDeps';
import { DynamoDeliveryStateStore } from './DynamoDeliveryStateStore';
import { DynamoSlackThreadStore } from './DynamoSlackThreadStore';
import type { DeliverDeps } from './deliverAlerts';
import { envSecretSource, loadSecrets, type SecretSource, secretsManagerSource } from './secrets';

/**
 * The environment of the alert-dispatcher and redrive functions (and the redrive script):
 * - FIRSTSEEN_ALERTS_TABLE (required): the alerts table name.
 * - FIRSTSEEN_CONFIG_PATH: the config JSON (bundled with the function); defaults apply when unset.
 * - FIRSTSEEN_SECRETS: `secretsmanager` (default on Lambda) or `env` (default elsewhere): where
 *   the secret names of the config are looked up.
 * - FIRSTSEEN_DYNAMODB_ENDPOINT: DynamoDB Local's URL (local only).
 * - FIRSTSEEN_SLACK_API_URL, FIRSTSEEN_PAGERDUTY_EVENTS_URL: local receivers (tests, local stack).
 * - FIRSTSEEN_LOG_LEVEL.
 */
export interface NotifyEnvironment {
  alertsTable: string;
  configPath?: string;
  secrets: 'env' | 'secretsmanager';
  dynamoDbEndpoint?: string;
  slackApiBaseUrl?: string;
  pagerDutyEventsUrl?: string;
  logLevel: string;
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
    logLevel: reader.optional('FIRSTSEEN_LOG_LEVEL') ?? 'info',
  };
  const configPath = reader.optional('FIRSTSEEN_CONFIG_PATH');
  if (configPath) out.configPath = configPath;
  const endpoint = reader.optional('FIRSTSEEN_DYNAMODB_ENDPOINT');
  if (endpoint) out.dynamoDbEndpoint = endpoint;
  const slack = reader.optional('FIRSTSEEN_SLACK_API_URL');
  if (slack) out.slackApiBaseUrl = slack;
  const pd = reader.optional('FIRSTSEEN_PAGERDUTY_EVENTS_URL');
  if (pd) out.pagerDutyEventsUrl = pd;
  return out;
}

export async function loadNotifyConfig(path: string | undefined): Promise<Config> {
  if (!path) return parseConfig({});
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config ${path}`, [path], { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config ${path} is not JSON`, [path], { cause: err });
  }
  return parseConfig(json, path);
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
  const config = await loadNotifyConfig(env.configPath);
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
  if (env.slackApiBaseUrl && !options.slackApiBaseUrl) options.slackApiBaseUrl = env.slackApiBaseUrl;
  if (env.pagerDutyEventsUrl && !options.pagerDutyEventsUrl)
    options.pagerDutyEventsUrl = env.pagerDutyEventsUrl;
  return createDeliverDeps(options);
}
