import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Config, ConfigError, environmentReader, loadConfigFile } from '@firstseen/core';
import { DynamoSuppressionStore } from '@firstseen/dynamodb-store';
import {
  envSecretSource,
  ownersFor,
  PAGERDUTY_EVENTS_URL,
  postJson,
  type SecretSource,
  secretsManagerSource,
} from '@firstseen/notify';
import type { Logger } from 'pino';
import { trustedSlackApps } from './authorizeInteraction';
import { DynamoAlertDecisionStore } from './DynamoAlertDecisionStore';
import type { ExpectedScope, TriageDeps } from './handleTriageRequest';
import { DynamoReplayGuard } from './ReplayGuard';

/** Default name of the secret (AWS) or environment variable (local) holding Slack's signing secret. */
export const DEFAULT_SIGNING_SECRET_NAME = 'FIRSTSEEN_SLACK_SIGNING_SECRET';

/**
 * The triage function's environment:
 * - FIRSTSEEN_BASELINE_TABLE, FIRSTSEEN_ALERTS_TABLE (required);
 * - FIRSTSEEN_CONFIG_PATH: the config (owners' and the PagerDuty destination's secret names);
 * - FIRSTSEEN_SLACK_SIGNING_SECRET_NAME (default FIRSTSEEN_SLACK_SIGNING_SECRET);
 * - FIRSTSEEN_SECRETS: `secretsmanager` (default on Lambda) or `env`;
 * - FIRSTSEEN_TRIAGE_EXPECTED_SCOPE: action (default) | account | region;
 * - FIRSTSEEN_TRIAGE_EXPECTED_DAYS (default 90); FIRSTSEEN_PAGERDUTY_EVENTS_URL (local receivers);
 * - FIRSTSEEN_DYNAMODB_ENDPOINT (local only).
 */
export interface TriageEnvironment {
  baselineTable: string;
  alertsTable: string;
  configPath?: string;
  signingSecretName: string;
  secrets: 'env' | 'secretsmanager';
  expectedScope: ExpectedScope;
  expectedDays: number;
  pagerDutyEventsUrl: string;
  dynamoDbEndpoint?: string;
}

export function readTriageEnvironment(env: NodeJS.ProcessEnv): TriageEnvironment {
  const reader = environmentReader(env);
  const baselineTable = reader.required('FIRSTSEEN_BASELINE_TABLE');
  const alertsTable = reader.required('FIRSTSEEN_ALERTS_TABLE');
  const secrets = reader.oneOf(
    'FIRSTSEEN_SECRETS',
    ['env', 'secretsmanager'],
    env.AWS_LAMBDA_FUNCTION_NAME ? 'secretsmanager' : 'env',
  );
  const expectedScope = reader.oneOf(
    'FIRSTSEEN_TRIAGE_EXPECTED_SCOPE',
    ['action', 'account', 'region'],
    'action',
  );
  const daysRaw = reader.optional('FIRSTSEEN_TRIAGE_EXPECTED_DAYS') ?? '90';
  if (!/^[1-9]\d{0,3}$/.test(daysRaw)) {
    reader.problem(`FIRSTSEEN_TRIAGE_EXPECTED_DAYS: expected a whole number of days, got "${daysRaw}"`);
  }
  reader.finish('triage');
  const out: TriageEnvironment = {
    baselineTable,
    alertsTable,
    signingSecretName: reader.optional('FIRSTSEEN_SLACK_SIGNING_SECRET_NAME') ?? DEFAULT_SIGNING_SECRET_NAME,
    secrets,
    expectedScope,
    expectedDays: Number(daysRaw),
    pagerDutyEventsUrl: reader.optional('FIRSTSEEN_PAGERDUTY_EVENTS_URL') ?? PAGERDUTY_EVENTS_URL,
  };
  const configPath = reader.optional('FIRSTSEEN_CONFIG_PATH');
  if (configPath) out.configPath = configPath;
  const endpoint = reader.optional('FIRSTSEEN_DYNAMODB_ENDPOINT');
  if (endpoint) out.dynamoDbEndpoint = endpoint;
  return out;
}

/** The PagerDuty secret names a Suspicious decision may use: owners' keys, then the pagerduty destination's. */
export function pagerDutySecretNames(config: Config): { default?: string; owners: string[] } {
  const dest = Object.values(config.routing.destinations).find((d) => d.type === 'pagerduty');
  const owners = config.owners.flatMap((o) =>
    o.pagerDutyRoutingKeySecret ? [o.pagerDutyRoutingKeySecret] : [],
  );
  return dest && dest.type === 'pagerduty' ? { default: dest.secret, owners } : { owners };
}

/**
 * Builds the triage function's collaborators once per cold start: DynamoDB stores, the signing
 * secret (required: without it no request can be verified) and the PagerDuty routing keys
 * (optional: without one a Suspicious decision is recorded but its escalation fails, loudly).
 */
export async function createTriageRuntime(
  environment: TriageEnvironment,
  logger: Logger,
  overrides: { secretSource?: SecretSource; dynamodb?: DynamoDBClient } = {},
): Promise<TriageDeps> {
  const config = await loadConfigFile(environment.configPath);
  const source =
    overrides.secretSource ??
    (environment.secrets === 'secretsmanager'
      ? secretsManagerSource(new SecretsManagerClient({}))
      : envSecretSource());
  const signingSecret = (await source.get(environment.signingSecretName))?.trim();
  if (!signingSecret) {
    throw new ConfigError(
      `secret "${environment.signingSecretName}" (Slack signing secret) is missing or empty`,
      [environment.signingSecretName],
    );
  }
  const names = pagerDutySecretNames(config);
  const keys = new Map<string, string>();
  for (const name of new Set([...(names.default ? [names.default] : []), ...names.owners])) {
    try {
      const v = (await source.get(name))?.trim();
      if (v) keys.set(name, v);
    } catch (err) {
      logger.warn({ err, secretName: name }, 'PagerDuty routing key not readable');
    }
  }
  const trustedApps = trustedSlackApps(config);
  if (trustedApps.length === 0) {
    logger.warn('no Slack destination has interactive: true; every triage request will be refused (403)');
  }
  const dynamodb =
    overrides.dynamodb ??
    new DynamoDBClient(environment.dynamoDbEndpoint ? { endpoint: environment.dynamoDbEndpoint } : {});
  return {
    signingSecret,
    trustedApps,
    alerts: new DynamoAlertDecisionStore({ client: dynamodb, tableName: environment.alertsTable }),
    suppressions: new DynamoSuppressionStore({ client: dynamodb, tableName: environment.baselineTable }),
    replayGuard: new DynamoReplayGuard({ client: dynamodb, tableName: environment.baselineTable }),
    post: postJson,
    pagerDuty: {
      eventsUrl: environment.pagerDutyEventsUrl,
      routingKeyFor: (alert) => {
        const owner = ownersFor(alert.principal, config.owners).find(
          (o) => o.pagerDutyRoutingKeySecret && keys.has(o.pagerDutyRoutingKeySecret),
        );
        if (owner?.pagerDutyRoutingKeySecret) return keys.get(owner.pagerDutyRoutingKeySecret);
        return names.default ? keys.get(names.default) : undefined;
      },
    },
    logger,
    expectedScope: environment.expectedScope,
    expectedDays: environment.expectedDays,
  };
}
