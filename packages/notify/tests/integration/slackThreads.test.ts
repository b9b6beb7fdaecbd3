import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type ConfigInput, parseConfig } from '@firstseen/core';
import {
  createDynamoDbClient,
  createTables,
  type DynamoDbLocal,
  SLACK_TEST_CHANNEL_ID,
  type SlackReceiver,
  startDynamoDbLocal,
  startSlackReceiver,
} from '@firstseen/local-stack';
import {
  createDeliverDeps,
  type DeliverDeps,
  DynamoSlackThreadStore,
  dispatchAlerts,
  InMemoryDeliveryStateStore,
} from '../../src';
import { slackThreadKey } from '../../src/DynamoSlackThreadStore';
import { deliverAlerts } from '../../src/deliverAlerts';
import { getJson } from '../../src/postJson';
import type { SlackThreadStore } from '../../src/SlackThreadStore';
import { findSlackMessageByMetadata } from '../../src/slackTransport';
import { makeAlert } from '../helpers/alerts';
import { BOT_TOKEN, captureLogger, fakeClock } from '../helpers/harness';

/** Threads in Slack bot mode, against the local Slack receiver and DynamoDB Local (issue 24). */

let emulator: DynamoDbLocal;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let alertsTable: string;
let slack: SlackReceiver;
let run = 0;

beforeAll(async () => {
  emulator = await startDynamoDbLocal();
  client = createDynamoDbClient(emulator.endpoint);
  doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  alertsTable = (await createTables(client, 'threads')).alerts.tableName;
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
});
beforeEach(async () => {
  slack = await startSlackReceiver({ token: BOT_TOKEN });
  run += 1;
});
afterEach(async () => {
  await slack.stop();
});

function botConfig(destination: Record<string, unknown> = {}): ConfigInput {
  return {
    routing: {
      stormThresholdPerMinute: 0,
      destinations: {
        slack: { type: 'slack', mode: 'bot', channel: '#alerts', secret: 'SLACK_BOT_TOKEN', ...destination },
      },
      rules: [{ destinations: ['slack'] }],
    },
  } as ConfigInput;
}

interface Dispatcher {
  deps: DeliverDeps;
  logs: string[];
}

/** One dispatcher process: its own channels (instance id), delivery state and thread store client. */
function dispatcher(
  options: {
    config?: ConfigInput;
    clock?: { now: () => number; sleep: (ms: number) => Promise<void> };
    store?: InMemoryDeliveryStateStore;
    threads?: SlackThreadStore;
    maxAttempts?: number;
  } = {},
): Dispatcher {
  const { logger, lines } = captureLogger();
  const clock = options.clock ?? {
    now: Date.now,
    sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)),
  };
  const deps = createDeliverDeps({
    config: parseConfig(options.config ?? botConfig()),
    secrets: new Map([['SLACK_BOT_TOKEN', BOT_TOKEN]]),
    store: options.store ?? new InMemoryDeliveryStateStore(),
    slackThreads: options.threads ?? new DynamoSlackThreadStore(doc, alertsTable),
    logger,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    // Each deliverAlerts call stands for a fresh invocation, however far the fake clock moved.
    remainingTimeMs: () => 600_000,
    retry: { requestTimeoutMs: 2_000, maxAttempts: options.maxAttempts ?? 5, baseDelayMs: 100 },
    slackApiBaseUrl: `${slack.baseUrl}/api`,
  });
  return { deps, logs: lines };
}

/** A principal unique to this test (threads live in one table for the whole file). */
const principal = (name = 'deploy') => `role/${name}-${run}`;
const alert = (id: string, overrides: Parameters<typeof makeAlert>[0] = {}) =>
  makeAlert({ alertId: `${id}-${run}`, eventId: `${id}-${run}`, principal: principal(), ...overrides });

const topLevel = () => slack.messages.filter((m) => m.threadTs === undefined);
const replies = () => slack.messages.filter((m) => m.threadTs !== undefined);
const summaryOf = (blocks: unknown) => JSON.stringify(blocks).match(/\*Thread:\*[^"]*/)?.[0] ?? '';

describe('threads in Slack bot mode', () => {
  it('opens one message for a principal and threads its later alerts under it with a running summary', async () => {
    const clock = fakeClock(Date.now());
    const { deps } = dispatcher({ clock });
    await deliverAlerts(
      [alert('a1', { severity: 'low', levels: ['account'], eventTime: '2024-05-14T09:00:00Z' })],
      deps,
    );
    clock.advance(10 * 60_000);
    await deliverAlerts(
      [alert('a2', { severity: 'medium', levels: ['region'], eventTime: '2024-05-14T09:10:00Z' })],
      deps,
    );
    clock.advance(10 * 60_000);
    await deliverAlerts(
      [alert('a3', { severity: 'low', levels: ['role'], eventTime: '2024-05-14T09:20:00Z' })],
      deps,
    );

    expect(topLevel()).toHaveLength(1);
    const parent = topLevel()[0]!;
    expect(replies().map((r) => r.threadTs)).toEqual([parent.ts, parent.ts]);
    const updates = slack.requests.filter((r) => r.path === '/api/chat.update');
    expect(updates).toHaveLength(2);
    expect(updates[1]!.body).toMatchObject({ channel: 'C0TEST', ts: parent.ts });
    const summary = summaryOf(parent.blocks);
    expect(summary).toContain('3 alerts');
    expect(summary).toContain('account, region, role');
    expect(summary).toContain('*Highest severity* `medium`');
    expect(summary).toContain('*First* `2024-05-14T09:00:00Z`');
    expect(summary).toContain('*Last* `2024-05-14T09:20:00Z`');
    expect(parent.edits).toBe(2);
    // The parent keeps the first alert's details under the summary.
    expect(JSON.stringify(parent.blocks)).toContain(`a1-${run}`);
  });

  it('broadcasts a high-severity reply to the channel, and only that one', async () => {
    const { deps } = dispatcher();
    await deliverAlerts([alert('b1', { severity: 'low' })], deps);
    await deliverAlerts([alert('b2', { severity: 'medium' })], deps);
    await deliverAlerts([alert('b3', { severity: 'high' })], deps);
    const sent = slack.requests
      .filter((r) => r.path === '/api/chat.postMessage')
      .map((r) => r.body as Record<string, unknown>);
    expect(sent.map((b) => b['reply_broadcast'])).toEqual([undefined, undefined, true]);
    expect(replies().map((r) => r.broadcast)).toEqual([false, true]);
  });

  it('opens a new thread once the configured window has passed', async () => {
    const clock = fakeClock(Date.now());
    const { deps } = dispatcher({ clock, config: botConfig({ threadWindowMinutes: 5 }) });
    await deliverAlerts([alert('c1')], deps);
    clock.advance(4 * 60_000);
    await deliverAlerts([alert('c2')], deps);
    clock.advance(2 * 60_000);
    await deliverAlerts([alert('c3')], deps);
    expect(topLevel()).toHaveLength(2);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]!.threadTs).toBe(topLevel()[0]!.ts);
  });

  it('defaults the window to 60 minutes', async () => {
    const clock = fakeClock(Date.now());
    const { deps } = dispatcher({ clock });
    await deliverAlerts([alert('d1')], deps);
    clock.advance(59 * 60_000);
    await deliverAlerts([alert('d2')], deps);
    clock.advance(2 * 60_000);
    await deliverAlerts([alert('d3')], deps);
    expect(topLevel()).toHaveLength(2);
    expect(replies()).toHaveLength(1);
  });

  it('opens exactly one parent when two dispatchers race on a principal’s first alert', async () => {
    // Ten principals, each with one alert on each dispatcher, delivered concurrently.
    const names = Array.from({ length: 10 }, (_, i) => `race${i}`);
    const a = dispatcher();
    const b = dispatcher();
    await Promise.all([
      deliverAlerts(
        names.map((n) => alert(`${n}-a`, { principal: principal(n) })),
        a.deps,
      ),
      deliverAlerts(
        names.map((n) => alert(`${n}-b`, { principal: principal(n) })),
        b.deps,
      ),
    ]);
    expect(topLevel()).toHaveLength(10);
    expect(replies()).toHaveLength(10);
    for (const n of names) {
      const parents = topLevel().filter((m) => JSON.stringify(m.blocks).includes(principal(n)));
      expect(parents).toHaveLength(1);
      const reply = replies().filter((m) => JSON.stringify(m.blocks).includes(principal(n)));
      expect(reply.map((r) => r.threadTs)).toEqual([parents[0]!.ts]);
    }
  });

  it('never opens a second thread for a retried delivery, nor after a dispatcher restart', async () => {
    const first = dispatcher();
    await deliverAlerts([alert('e1')], first.deps);
    // The delivery state was lost (a fresh store), so the same alert is delivered again.
    const retried = dispatcher();
    const report = await deliverAlerts([alert('e1')], retried.deps);
    expect(report.complete).toEqual([`e1-${run}`]);
    expect(slack.messages).toHaveLength(1);
    // A restarted dispatcher (new process) replies in the same thread.
    const restarted = dispatcher();
    await deliverAlerts([alert('e2')], restarted.deps);
    expect(topLevel()).toHaveLength(1);
    expect(replies().map((r) => r.threadTs)).toEqual([topLevel()[0]!.ts]);
  });

  it('waits for a live claim of another dispatcher, and takes over an abandoned one after the lease', async () => {
    const clock = fakeClock(Date.now());
    const store = new DynamoSlackThreadStore(doc, alertsTable);
    // A dispatcher claimed the thread, then died before posting its parent.
    await store.claim(
      'slack',
      principal(),
      { claimId: 'dead:x', now: clock.now(), expiresAtSeconds: 0 },
      undefined,
    );
    const { deps } = dispatcher({ clock });
    const early = await deliverAlerts([alert('f1')], deps);
    expect(early.incomplete).toEqual([`f1-${run}`]);
    expect(slack.messages).toHaveLength(0);
    expect(early.delivery.get(`f1-${run}`)?.['slack']?.lastError).toBe(
      'slack thread parent not recorded yet',
    );

    clock.advance(61_000);
    const later = await deliverAlerts([alert('f1')], deps);
    expect(later.complete).toEqual([`f1-${run}`]);
    expect(topLevel()).toHaveLength(1);
    const item = await doc.send(
      new GetCommand({
        TableName: alertsTable,
        Key: { pk: slackThreadKey('slack', principal()) },
        ConsistentRead: true,
      }),
    );
    expect(item.Item?.['ts']).toBe(topLevel()[0]!.ts);
  });

  describe('a dispatcher killed after Slack accepted its parent, before the ts was recorded', () => {
    /** The channel by id: conversations.history (the takeover's lookup) takes ids only. */
    const byId = () => botConfig({ channel: SLACK_TEST_CHANNEL_ID });
    const threadItem = async () =>
      (
        await doc.send(
          new GetCommand({
            TableName: alertsTable,
            Key: { pk: slackThreadKey('slack', principal()) },
            ConsistentRead: true,
          }),
        )
      ).Item;
    const historyCalls = () => slack.requests.filter((r) => r.path.startsWith('/api/conversations.history'));

    /** Dispatcher A claims and posts the parent; the process dies before recording its ts. */
    async function crashAfterParentPosted(clock: ReturnType<typeof fakeClock>): Promise<void> {
      const real = new DynamoSlackThreadStore(doc, alertsTable);
      const killed: SlackThreadStore = {
        get: (...a) => real.get(...a),
        claim: (...a) => real.claim(...a),
        addToSummary: (...a) => real.addToSummary(...a),
        recordParent: async () => {
          throw new Error('dispatcher killed');
        },
      };
      // One attempt: a killed process does not retry.
      const a = dispatcher({ config: byId(), clock, threads: killed, maxAttempts: 1 });
      const report = await deliverAlerts([alert('k1', { severity: 'low' })], a.deps);
      expect(report.incomplete).toEqual([`k1-${run}`]);
      expect(topLevel()).toHaveLength(1);
      expect((await threadItem())?.['ts']).toBeUndefined();
    }

    it('the takeover adopts the parent Slack holds instead of posting a second one, and replies in it', async () => {
      const clock = fakeClock(Date.now());
      await crashAfterParentPosted(clock);
      const parent = topLevel()[0]!;
      expect(parent.metadata?.event_type).toBe('firstseen_thread');

      clock.advance(61_000); // the claim's lease has passed
      const b = dispatcher({ config: byId(), clock });
      // The retried delivery of the same alert: it is already in the adopted parent.
      const retried = await deliverAlerts([alert('k1', { severity: 'low' })], b.deps);
      expect(retried.complete).toEqual([`k1-${run}`]);
      expect(topLevel()).toHaveLength(1);
      expect(replies()).toHaveLength(0);
      expect((await threadItem())?.['ts']).toBe(parent.ts);
      expect(b.logs.some((l) => l.includes('adopted instead of posting another'))).toBe(true);
      const query = new URL(historyCalls()[0]!.path, 'http://x').searchParams;
      expect(query.get('include_all_metadata')).toBe('true');
      expect(query.get('channel')).toBe(SLACK_TEST_CHANNEL_ID);

      // Later alerts of the principal, on another dispatcher, are replies in that one thread.
      const c = dispatcher({ config: byId(), clock });
      await deliverAlerts([alert('k2', { severity: 'high' })], c.deps);
      expect(topLevel()).toHaveLength(1);
      expect(replies().map((r) => r.threadTs)).toEqual([parent.ts]);
      expect(replies()[0]!.broadcast).toBe(true);
      expect(summaryOf(topLevel()[0]!.blocks)).toContain('2 alerts');
    });

    it('fails the delivery transiently when the lookup fails, and posts no second parent', async () => {
      const clock = fakeClock(Date.now());
      await crashAfterParentPosted(clock);
      for (const reply of [
        { kind: 'slackError', error: 'missing_scope' } as const,
        { kind: 'slackError', error: 'not_in_channel' } as const,
        { kind: 'status', status: 429, retryAfterSeconds: 1 } as const,
      ]) {
        // Each failed takeover leaves its own claim; the next dispatcher takes over after its lease.
        clock.advance(61_000);
        slack.setBehaviour(({ path }) =>
          path.startsWith('/api/conversations.history') ? reply : { kind: 'accept' },
        );
        const b = dispatcher({ config: byId(), clock, maxAttempts: 2 });
        const report = await deliverAlerts([alert('k1', { severity: 'low' })], b.deps);
        expect(report.incomplete).toEqual([`k1-${run}`]);
        const outcome = report.delivery.get(`k1-${run}`)?.['slack'];
        expect(outcome?.status).toBe('failed'); // transient (not 'permanent'): retried, then redriven
        expect(outcome?.lastError).toMatch(
          /conversations\.history (missing_scope|not_in_channel|HTTP 429 ratelimited)/,
        );
        expect(topLevel()).toHaveLength(1);
      }
      slack.setBehaviour(() => ({ kind: 'accept' }));
      clock.advance(61_000);
      const d = dispatcher({ config: byId(), clock });
      expect((await deliverAlerts([alert('k1', { severity: 'low' })], d.deps)).complete).toEqual([
        `k1-${run}`,
      ]);
      expect(topLevel()).toHaveLength(1);
      expect((await threadItem())?.['ts']).toBe(topLevel()[0]!.ts);
    });
  });

  it('findSlackMessageByMetadata() pages conversations.history back to oldest, newest first', async () => {
    const post = (text: string, metadata?: unknown) =>
      fetch(`${slack.baseUrl}/api/chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: SLACK_TEST_CHANNEL_ID, text, metadata }),
      });
    const since = Date.now() - 1_000;
    await post('target', { event_type: 'firstseen_thread', event_payload: { thread_key: 'x', window: 1 } });
    for (let i = 0; i < 5; i++) await post(`noise ${i}`, { event_type: 'other', event_payload: {} });
    const found = await findSlackMessageByMetadata(
      getJson,
      `${slack.baseUrl}/api`,
      BOT_TOKEN,
      SLACK_TEST_CHANNEL_ID,
      { oldestMs: since, limit: 2, maxPages: 5 },
      (m) => m.event_type === 'firstseen_thread' && m.event_payload['window'] === 1,
      2_000,
    );
    expect(found?.text).toBe('target');
    expect(slack.requests.filter((r) => r.path.startsWith('/api/conversations.history'))).toHaveLength(3);
    // Too few pages to reach oldest: not "nothing found" but a transient failure.
    await expect(
      findSlackMessageByMetadata(
        getJson,
        `${slack.baseUrl}/api`,
        BOT_TOKEN,
        SLACK_TEST_CHANNEL_ID,
        { oldestMs: since, limit: 2, maxPages: 2 },
        (m) => m.event_type === 'firstseen_thread',
        2_000,
      ),
    ).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('more than 2 pages') });
    // A name is not a channel id for conversations.history.
    await expect(
      findSlackMessageByMetadata(
        getJson,
        `${slack.baseUrl}/api`,
        BOT_TOKEN,
        '#alerts',
        { oldestMs: since, limit: 2, maxPages: 2 },
        () => true,
        2_000,
      ),
    ).rejects.toMatchObject({ permanent: false, message: 'slack conversations.history channel_not_found' });
  });

  it('delivers a reply even when chat.update fails, and logs the failed summary edit', async () => {
    slack.setBehaviour(({ path }) =>
      path === '/api/chat.update' ? { kind: 'slackError', error: 'edit_window_closed' } : { kind: 'accept' },
    );
    const d = dispatcher();
    await deliverAlerts([alert('g1')], d.deps);
    const report = await deliverAlerts([alert('g2')], d.deps);
    expect(report.complete).toEqual([`g2-${run}`]);
    expect(replies()).toHaveLength(1);
    expect(
      d.logs.some(
        (l) => l.includes('updating the slack thread summary failed') && l.includes('edit_window_closed'),
      ),
    ).toBe(true);
  });

  it('keeps one message per batch group in webhook mode (webhooks cannot thread)', async () => {
    const { logger } = captureLogger();
    const deps = createDeliverDeps({
      config: parseConfig({
        routing: {
          stormThresholdPerMinute: 0,
          destinations: { slack: { type: 'slack' } },
          rules: [{ destinations: ['slack'] }],
        },
      }),
      secrets: new Map([['FIRSTSEEN_SLACK_WEBHOOK_URL', `${slack.baseUrl}/webhook`]]),
      store: new InMemoryDeliveryStateStore(),
      slackThreads: new DynamoSlackThreadStore(doc, alertsTable),
      logger,
      retry: { requestTimeoutMs: 2_000 },
    });
    await deliverAlerts([alert('h1')], deps);
    await deliverAlerts([alert('h2')], deps);
    expect(slack.requests.map((r) => r.path)).toEqual(['/webhook', '/webhook']);
    expect(slack.requests.some((r) => JSON.stringify(r.body).includes('thread_ts'))).toBe(false);
  });
});

describe('dispatchAlerts() and thread items', () => {
  it('skips the thread items on the alerts table stream without reporting them as bad alerts', async () => {
    const d = dispatcher();
    await deliverAlerts([alert('i1')], d.deps);
    const item = await doc.send(
      new GetCommand({
        TableName: alertsTable,
        Key: { pk: slackThreadKey('slack', principal()) },
        ConsistentRead: true,
      }),
    );
    const reader = dispatcher();
    const response = await dispatchAlerts(
      {
        Records: [
          {
            eventName: 'INSERT',
            dynamodb: {
              SequenceNumber: '100',
              Keys: { pk: { S: slackThreadKey('slack', principal()) } },
              NewImage: marshall(item.Item!, { convertClassInstanceToMap: true }) as never,
            },
          },
        ],
      },
      reader.deps,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(reader.logs.filter((l) => l.includes('"level":50'))).toEqual([]);
  });
});
