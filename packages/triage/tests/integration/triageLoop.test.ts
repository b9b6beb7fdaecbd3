import { createSuppressionCheck, DetectionEngine, parseConfig } from '@firstseen/core';
import { DynamoAlertOutbox, DynamoBaselineStore, DynamoSuppressionStore } from '@firstseen/dynamodb-store';
import {
  type CreatedTables,
  createDynamoDbClient,
  createTables,
  type LocalEmulators,
  type Receiver,
  startLocalEmulators,
  startPagerDutyReceiver,
  startSlackReceiver,
} from '@firstseen/local-stack';
import { postJson } from '@firstseen/notify';
import {
  alertFor,
  clickPayload,
  formBody,
  observed,
  SIGNING_SECRET,
  signed,
  TRUSTED_APPS,
} from '@firstseen/test-support';
import pino from 'pino';
import { REPLAY_KEY_MARGIN_MS } from '../../src/constants';
import { DynamoAlertDecisionStore } from '../../src/DynamoAlertDecisionStore';
import type { TriageDeps } from '../../src/handleTriageRequest';
import { DynamoReplayGuard } from '../../src/ReplayGuard';
import { startTriageServer, type TriageServer } from '../../src/startTriageServer';

let emulators: LocalEmulators;
let slack: Receiver;
let pagerDuty: Receiver;
let server: TriageServer;
let tables: CreatedTables;
let client: ReturnType<typeof createDynamoDbClient>;
let prefixCount = 0;

beforeAll(async () => {
  emulators = await startLocalEmulators({ dynamodb: true, s3: false, kinesis: false });
  client = createDynamoDbClient(emulators.endpoints.dynamodb!);
  [slack, pagerDuty] = await Promise.all([startSlackReceiver(), startPagerDutyReceiver()]);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await Promise.all([slack?.stop(), pagerDuty?.stop()]);
  client?.destroy();
  await emulators?.stop();
});

/** Fresh tables and a server over them; the clock is real (the server checks timestamps against it). */
async function freshStack() {
  await server?.stop();
  tables = await createTables(client, `triage${prefixCount++}`);
  const deps: TriageDeps = {
    signingSecret: SIGNING_SECRET,
    trustedApps: TRUSTED_APPS,
    alerts: new DynamoAlertDecisionStore({ client, tableName: tables.alerts.tableName }),
    suppressions: new DynamoSuppressionStore({ client, tableName: tables.baseline.tableName }),
    replayGuard: new DynamoReplayGuard({ client, tableName: tables.baseline.tableName }),
    post: postJson,
    pagerDuty: { eventsUrl: `${pagerDuty.baseUrl}/v2/enqueue`, routingKeyFor: () => 'routing-key-1' },
    logger: pino({ level: 'silent' }),
    responseUrlPrefixes: [slack.baseUrl],
  };
  server = await startTriageServer({ deps });
  const outbox = new DynamoAlertOutbox({ client, tableName: tables.alerts.tableName });
  return { deps, outbox };
}

async function send(body: string, timestampSeconds = Math.floor(Date.now() / 1000)): Promise<number> {
  const req = signed(body, { timestampSeconds });
  const res = await fetch(server.url, {
    method: 'POST',
    headers: req.headers as Record<string, string>,
    body: req.body ?? '',
  });
  await res.text();
  return res.status;
}

describe('the triage endpoint on DynamoDB Local', () => {
  it('records a valid click on the alert item, adds the suppression and updates the Slack message', async () => {
    const { deps, outbox } = await freshStack();
    const alert = alertFor(observed({ id: 'evt-ok' }));
    await outbox.put(alert, 30);
    const status = await send(
      formBody(clickPayload({ alertId: 'evt-ok', alert, responseUrl: `${slack.baseUrl}/actions/1` })),
    );

    expect(status).toBe(200);
    const item = await deps.alerts.get('evt-ok');
    expect(item?.decisions).toEqual([
      expect.objectContaining({
        decision: 'expected',
        userId: 'U0ALICE',
        teamId: 'T0TEAM',
        channelId: 'C0SEC',
      }),
    ]);
    expect(await deps.suppressions.forPrincipal('role/deploy')).toEqual([
      expect.objectContaining({ action: 'iam.amazonaws.com:CreateRole', reason: 'expected' }),
    ]);
    const update = slack.requests.find((r) => r.path === '/actions/1');
    expect(update?.body).toMatchObject({ replace_original: true });
    expect(update?.raw).toContain('*Expected* by <@U0ALICE>');
  });

  it('answers 401, 403 or 400 to bad requests and leaves the tables and receivers untouched', async () => {
    const { deps, outbox } = await freshStack();
    const alert = alertFor(observed({ id: 'evt-bad' }));
    await outbox.put(alert, 30);
    const good = formBody(clickPayload({ alertId: 'evt-bad', responseUrl: `${slack.baseUrl}/actions/2` }));
    const slackBefore = slack.requests.length;
    const pdBefore = pagerDuty.requests.length;
    const now = Math.floor(Date.now() / 1000);

    const statuses = [
      await send(good, now - 600),
      await (async () => {
        const req = signed(good, { secret: 'not-the-secret' });
        const res = await fetch(server.url, {
          method: 'POST',
          headers: req.headers as Record<string, string>,
          body: good,
        });
        return res.status;
      })(),
      await send('payload=%7Bbroken'),
      await send(formBody(clickPayload({ alertId: 'evt-bad', actionId: 'firstseen_triage_delete' }))),
      await send(`${good}&pad=${'x'.repeat(300_000)}`),
    ];

    expect(statuses).toEqual([401, 401, 403, 403, 400]);
    expect((await deps.alerts.get('evt-bad'))?.decisions).toBeUndefined();
    expect(await deps.suppressions.list()).toEqual([]);
    expect([slack.requests.length, pagerDuty.requests.length]).toEqual([slackBefore, pdBefore]);
  });

  it('refuses a replayed request', async () => {
    const { deps, outbox } = await freshStack();
    await outbox.put(alertFor(observed({ id: 'evt-replay' })), 30);
    const req = signed(formBody(clickPayload({ alertId: 'evt-replay', decision: 'snooze' })), {
      timestampSeconds: Math.floor(Date.now() / 1000),
    });
    const post = () =>
      fetch(server.url, {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body: req.body ?? '',
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(401);
    expect((await deps.alerts.get('evt-replay'))?.decisions).toHaveLength(1);
  });

  it('sends exactly one PagerDuty trigger for a Suspicious click that Slack delivers three times at once', async () => {
    const { deps, outbox } = await freshStack();
    await outbox.put(alertFor(observed({ id: 'evt-sus' })), 30);
    const body = formBody(clickPayload({ alertId: 'evt-sus', decision: 'suspicious' }));
    const before = pagerDuty.accepted().length;
    const now = Math.floor(Date.now() / 1000);

    const statuses = await Promise.all([send(body, now), send(body, now - 1), send(body, now - 2)]);

    expect(statuses).toEqual([200, 200, 200]);
    const triggers = pagerDuty.accepted().slice(before);
    expect(triggers).toEqual([
      expect.objectContaining({
        dedup_key: 'firstseen/triage/evt-sus',
        payload: expect.objectContaining({ severity: 'critical' }),
      }),
    ]);
    const item = await deps.alerts.get('evt-sus');
    expect(item?.decisions).toHaveLength(1);
    expect(item?.escalation).toMatchObject({ status: 'sent', by: 'U0ALICE' });
  });

  it('keeps a request key in the table past the last instant its timestamp is accepted', async () => {
    await freshStack();
    const acceptedUntil = Date.now() + 600_000;
    let now = acceptedUntil - 600_000;
    const guard = new DynamoReplayGuard({ client, tableName: tables.baseline.tableName, clock: () => now });
    expect(await guard.claim('edge-key', acceptedUntil)).toBe(true);
    now = acceptedUntil;
    expect(await guard.claim('edge-key', acceptedUntil)).toBe(false);
    now = acceptedUntil + REPLAY_KEY_MARGIN_MS - 1_000;
    expect(await guard.claim('edge-key', acceptedUntil)).toBe(false);
    // Long after the window (and the margin), the key may be claimed again: nothing would accept it.
    now = acceptedUntil + REPLAY_KEY_MARGIN_MS + 2_000;
    expect(await guard.claim('edge-key', acceptedUntil)).toBe(true);
  });

  it('answers 403 to a correctly signed click from another workspace and writes nothing', async () => {
    const { deps, outbox } = await freshStack();
    const alert = alertFor(observed({ id: 'evt-foreign' }));
    await outbox.put(alert, 30);
    const body = formBody(clickPayload({ alertId: 'evt-foreign', teamId: 'T0OTHER', userTeamId: 'T0OTHER' }));
    expect(await send(body)).toBe(403);
    expect((await deps.alerts.get('evt-foreign'))?.decisions).toBeUndefined();
    expect(await deps.suppressions.list()).toEqual([]);
  });

  it('silences the principal and action elsewhere through the detector while the suppression lives, not after its removal', async () => {
    const { deps, outbox } = await freshStack();
    let now = Date.now();
    const engine = new DetectionEngine({
      store: new DynamoBaselineStore({ client, tableName: tables.baseline.tableName }),
      config: parseConfig({ burnInDays: 0 }),
      // TTL 0: every check reads the table, so the test sees each change at once.
      suppressed: createSuppressionCheck({ store: deps.suppressions, clock: () => now, ttlMs: 0 }),
    });
    const first = await engine.detect(observed({ id: 'evt-e1', time: now }));
    await outbox.put(first.alert!, 30);
    expect(await send(formBody(clickPayload({ alertId: 'evt-e1' })))).toBe(200);

    now += 1000;
    const other = await engine.detect(
      observed({ id: 'evt-e2', account: '444455556666', region: 'eu-west-1', time: now }),
    );
    expect(other.fired.length).toBeGreaterThan(0);
    expect(other.suppressed).toBe('suppression');

    const [s] = await deps.suppressions.forPrincipal('role/deploy');
    expect(await deps.suppressions.remove('role/deploy', s!.id)).toBe(true);
    now += 1000;
    const after = await engine.detect(observed({ id: 'evt-e3', account: '777788889999', time: now }));
    expect(after.alert).toBeDefined();
  });
});
