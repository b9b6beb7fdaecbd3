import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseConfig } from '@firstseen/core';
import {
  createDynamoDbClient,
  createDynamoDbStreamsClient,
  createTables,
  type DynamoDbLocal,
  DynamoDbStreamPoller,
  type Receiver,
  startDynamoDbLocal,
  startPagerDutyReceiver,
  startSlackReceiver,
} from '@firstseen/local-stack';
import { createDeliverDeps, DynamoDeliveryStateStore, dispatchAlerts } from '../../src';
import { makeAlert } from '../helpers/alerts';
import { captureLogger, ROUTING_KEY } from '../helpers/harness';

jest.setTimeout(180_000);

let ddb: DynamoDbLocal;
let slack: Receiver;
let pd: Receiver;

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  // Slack answers every message 404 channel_not_found; PagerDuty accepts.
  slack = await startSlackReceiver({ behaviour: () => ({ kind: 'status', status: 404 }) });
  pd = await startPagerDutyReceiver();
}, 120_000);

afterAll(async () => {
  await slack?.stop();
  await pd?.stop();
  await ddb?.stop();
});

describe('a destination answering 404 on the alerts stream (Lambda-like mapping, DynamoDB Local)', () => {
  it('never delays the other destination: each record is handed over once, and no retry wait happens', async () => {
    const client = createDynamoDbClient(ddb.endpoint);
    const tables = await createTables(client, 'isolation');
    const doc = DynamoDBDocumentClient.from(client);
    const table = tables.alerts.tableName;
    const deps = createDeliverDeps({
      config: parseConfig({ routing: { stormThresholdPerMinute: 0 } }),
      secrets: new Map([
        ['FIRSTSEEN_SLACK_WEBHOOK_URL', `${slack.baseUrl}/webhook`],
        ['FIRSTSEEN_PAGERDUTY_ROUTING_KEY', ROUTING_KEY],
      ]),
      store: new DynamoDeliveryStateStore(doc, table),
      logger: captureLogger().logger,
      pagerDutyEventsUrl: `${pd.baseUrl}/v2/enqueue`,
    });

    // Every invocation: the records it carried, and when it started and ended.
    const invocations: { sequenceNumbers: string[]; alertIds: string[]; start: number; end: number }[] = [];
    const pauses: number[] = [];
    const RETRY_DELAY_MS = 1_000;
    const POLL_MS = 50;
    const poller = new DynamoDbStreamPoller({
      client: createDynamoDbStreamsClient(ddb.endpoint),
      streamArn: tables.alerts.streamArn!,
      settings: { batchSize: 2, maximumRetryAttempts: 2 },
      pollIntervalMs: POLL_MS,
      shardDiscoveryMs: 0,
      retryDelayMs: RETRY_DELAY_MS,
      sleep: (ms) => {
        pauses.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
      handler: async (event) => {
        const start = Date.now();
        const response = await dispatchAlerts(event, deps);
        invocations.push({
          sequenceNumbers: event.Records.map((r) => r.dynamodb!.SequenceNumber!),
          alertIds: event.Records.map((r) => String(r.dynamodb!.NewImage!['pk']!.S)),
          start,
          end: Date.now(),
        });
        return response;
      },
    });
    await poller.start();
    const alerts = Array.from({ length: 6 }, (_, i) =>
      makeAlert({ alertId: `iso-${i}`, eventId: `iso-${i}`, principal: `role/team-${i}` }),
    );
    try {
      for (const a of alerts)
        await doc.send(new PutCommand({ TableName: table, Item: { pk: a.alertId, ...a } }));
      const deadline = Date.now() + 90_000;
      while (pd.requests.length < alerts.length && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await poller.stop();
    }

    // Each record was handed to the dispatcher exactly once: no batch was retried.
    const handed = invocations.flatMap((i) => i.sequenceNumbers);
    expect(handed).toHaveLength(alerts.length);
    expect(new Set(handed).size).toBe(alerts.length);
    // The only pauses are idle polls: no retry wait happened.
    expect(pauses.filter((ms) => ms !== POLL_MS)).toEqual([]);
    // Slack was asked once per alert and said 404 each time; PagerDuty received every alert.
    expect(slack.requests).toHaveLength(alerts.length);
    const pdIds = pd.requests.map(
      (r) =>
        (r.body as { payload: { custom_details: { alertIds: string[] } } }).payload.custom_details
          .alertIds[0],
    );
    expect(pdIds.sort()).toEqual(alerts.map((a) => a.alertId).sort());
    // Arrival times at the two receivers: every alert reached PagerDuty within the one
    // invocation that carried its record, side by side with its Slack 404, never later.
    for (const a of alerts) {
      const inv = invocations.find((i) => i.alertIds.includes(a.alertId))!;
      const pdAt = pd.requests.find((r) => JSON.stringify(r.body).includes(`"${a.alertId}"`))!.receivedAt;
      const slackAt = slack.requests.find((r) => r.raw.includes(`\`${a.alertId}\``))!.receivedAt;
      expect(pdAt).toBeGreaterThanOrEqual(inv.start);
      expect(pdAt).toBeLessThanOrEqual(inv.end);
      expect(slackAt).toBeGreaterThanOrEqual(inv.start);
      expect(slackAt).toBeLessThanOrEqual(inv.end);
    }
  });
});
