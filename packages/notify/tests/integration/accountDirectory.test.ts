import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConfigInput } from '@firstseen/core';
import { DynamoAccountDirectory, DynamoAlertOutbox } from '@firstseen/dynamodb-store';
import {
  createDynamoDbClient,
  createTables,
  type DynamoDbLocal,
  type Receiver,
  type SlackReceiver,
  startDynamoDbLocal,
  startPagerDutyReceiver,
  startSlackReceiver,
} from '@firstseen/local-stack';
import { type AlertRecord, createNotifyRuntime, type DeliverDeps } from '../../src';
import { deliverAlerts as deliver } from '../../src/deliverAlerts';
import { makeAlert } from '../helpers/alerts';
import { BOT_TOKEN, captureLogger, ROUTING_KEY } from '../helpers/harness';

/**
 * Account names, OU paths and routing by where it happened (issue 24), through the dispatcher's
 * real wiring (createNotifyRuntime reads FIRSTSEEN_BASELINE_TABLE) against DynamoDB Local and the
 * local Slack and PagerDuty receivers.
 */

const PROD = '552650195104';
const SANDBOX = '210987654321';
const UNKNOWN = '999988887777';

let emulator: DynamoDbLocal;
let client: DynamoDBClient;
let baselineTable: string;
let emptyBaselineTable: string;
let alertsTable: string;
let slack: SlackReceiver;
let pagerDuty: Receiver;
let run = 0;

beforeAll(async () => {
  emulator = await startDynamoDbLocal();
  client = createDynamoDbClient(emulator.endpoint);
  const tables = await createTables(client, 'accounts');
  baselineTable = tables.baseline.tableName;
  alertsTable = tables.alerts.tableName;
  emptyBaselineTable = (await createTables(client, 'accounts-empty')).baseline.tableName;
  await new DynamoAccountDirectory(client, baselineTable).put(
    {
      [PROD]: { name: 'payments-prod', ouPath: 'Production/Payments', tags: { environment: 'prod' } },
      [SANDBOX]: { name: 'alice-sandbox', ouPath: 'Sandbox', tags: { environment: 'dev' } },
    },
    Date.parse('2024-05-01T00:00:00Z'),
  );
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
});
beforeEach(async () => {
  slack = await startSlackReceiver({ token: BOT_TOKEN });
  pagerDuty = await startPagerDutyReceiver();
  run += 1;
});
afterEach(async () => {
  await slack.stop();
  await pagerDuty.stop();
});

/** The README's example: Sandbox to Slack only, Production's high alerts also to PagerDuty. */
const BY_OU: ConfigInput = {
  routing: {
    stormThresholdPerMinute: 0,
    destinations: {
      slack: { type: 'slack', mode: 'bot', channel: '#alerts', secret: 'SLACK_BOT_TOKEN' },
      pagerduty: { type: 'pagerduty' },
    },
    rules: [
      { ous: ['Sandbox*'], destinations: ['slack'] },
      { ous: ['Production*'], destinations: ['slack'] },
      { ous: ['Production*'], severities: ['high'], destinations: ['pagerduty'] },
    ],
  },
};

async function dispatcher(config: ConfigInput, table: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'firstseen-accounts-'));
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const { logger, lines } = captureLogger();
  const deps = await createNotifyRuntime(
    {
      alertsTable,
      ...(table !== undefined && { baselineTable: table }),
      configPath,
      secrets: 'env',
      logLevel: 'debug',
    },
    logger,
    {
      secretSource: {
        get: async (name) =>
          ({ SLACK_BOT_TOKEN: BOT_TOKEN, FIRSTSEEN_PAGERDUTY_ROUTING_KEY: ROUTING_KEY })[name],
      },
      dynamoDbClient: client,
      slackApiBaseUrl: `${slack.baseUrl}/api`,
      pagerDutyEventsUrl: `${pagerDuty.baseUrl}/v2/enqueue`,
      retry: { requestTimeoutMs: 2_000, maxAttempts: 2, baseDelayMs: 10 },
    },
  );
  return { deps, logs: lines };
}

const alert = (id: string, account: string, overrides: Parameters<typeof makeAlert>[0] = {}) =>
  makeAlert({
    alertId: `${id}-${run}`,
    eventId: `${id}-${run}`,
    principal: `role/${id}-${run}`,
    account,
    ...overrides,
  });

/** The outbox put first (delivery state is written on the alert's item), then delivery. */
async function deliverAlerts(alerts: AlertRecord[], deps: DeliverDeps) {
  const outbox = new DynamoAlertOutbox({ client, tableName: alertsTable });
  for (const a of alerts) await outbox.put(a, 1);
  return deliver(alerts, deps);
}

const slackText = () => JSON.stringify(slack.messages.map((m) => m.blocks));

describe('accounts as people know them', () => {
  it('shows name (id) and the OU path in Slack and PagerDuty', async () => {
    const { deps } = await dispatcher(BY_OU, baselineTable);
    const report = await deliverAlerts([alert('named', PROD, { severity: 'high' })], deps);
    expect(report.complete).toEqual([`named-${run}`]);
    expect(slackText()).toContain(`\`payments-prod (${PROD})\``);
    expect(slackText()).toContain('`Production/Payments`');
    const event = pagerDuty.requests[0]!.body as {
      payload: { summary: string; custom_details: Record<string, unknown> };
    };
    expect(event.payload.summary).toContain(`payments-prod (${PROD})`);
    expect(event.payload.custom_details['ouPath']).toBe('Production/Payments');
  });

  it('routes by OU: Sandbox to Slack only, Production high also to PagerDuty', async () => {
    const { deps } = await dispatcher(BY_OU, baselineTable);
    const report = await deliverAlerts(
      [
        alert('sandbox-high', SANDBOX, { severity: 'high' }),
        alert('prod-low', PROD, { severity: 'low' }),
        alert('prod-high', PROD, { severity: 'high' }),
      ],
      deps,
    );
    expect(report.complete).toHaveLength(3);
    expect(slack.messages).toHaveLength(3);
    expect(pagerDuty.requests).toHaveLength(1);
    expect(JSON.stringify(pagerDuty.requests[0]!.body)).toContain(`prod-high-${run}`);
  });

  it('routes by account tag and by account name', async () => {
    const { deps } = await dispatcher(
      {
        routing: {
          ...BY_OU.routing,
          rules: [
            { accountTags: ['environment=prod'], destinations: ['pagerduty'] },
            { accounts: ['alice-*'], destinations: ['slack'] },
          ],
        },
      } as ConfigInput,
      baselineTable,
    );
    await deliverAlerts([alert('tagged', PROD), alert('by-name', SANDBOX)], deps);
    expect(JSON.stringify(pagerDuty.requests.map((r) => r.body))).toContain(`tagged-${run}`);
    expect(pagerDuty.requests).toHaveLength(1);
    expect(slackText()).toContain(`by-name-${run}`);
    expect(slack.messages).toHaveLength(1);
  });

  it('sends an account the directory does not know to the default route, named by its id', async () => {
    const { deps } = await dispatcher(BY_OU, baselineTable);
    const report = await deliverAlerts([alert('unknown', UNKNOWN, { severity: 'high' })], deps);
    expect(report.complete).toEqual([`unknown-${run}`]);
    // Default route: the Slack destination the rules use, not the pager.
    expect(slack.messages).toHaveLength(1);
    expect(pagerDuty.requests).toHaveLength(0);
    expect(slackText()).toContain(`\`${UNKNOWN}\``);
  });

  it('delivers with account ids when the cache item is absent (empty table)', async () => {
    const { deps } = await dispatcher(BY_OU, emptyBaselineTable);
    const report = await deliverAlerts([alert('empty', PROD, { severity: 'high' })], deps);
    expect(report.complete).toEqual([`empty-${run}`]);
    expect(slackText()).toContain(`\`${PROD}\``);
    expect(slackText()).not.toContain('payments-prod');
  });

  it('delivers with account ids when the cache table does not exist, and says so in the log', async () => {
    const { deps, logs } = await dispatcher(BY_OU, 'no-such-table');
    const report = await deliverAlerts([alert('absent', SANDBOX)], deps);
    expect(report.complete).toEqual([`absent-${run}`]);
    expect(slackText()).toContain(`\`${SANDBOX}\``);
    expect(logs.some((l) => l.includes('account directory unreadable'))).toBe(true);
  });

  it('keeps rules by account id working without a directory, and warns at start', async () => {
    const { deps, logs } = await dispatcher(
      {
        routing: {
          ...BY_OU.routing,
          rules: [
            { accounts: [PROD], destinations: ['pagerduty'] },
            { ous: ['Sandbox*'], destinations: ['slack'] },
          ],
        },
      } as ConfigInput,
      undefined,
    );
    expect(logs.some((l) => l.includes('FIRSTSEEN_BASELINE_TABLE is unset'))).toBe(true);
    await deliverAlerts([alert('by-id', PROD)], deps);
    expect(pagerDuty.requests).toHaveLength(1);
    expect(slack.messages).toHaveLength(0);
  });
});
