import {
  type Receiver,
  refusedUrl,
  startPagerDutyReceiver,
  startSlackReceiver,
} from '@firstseen/local-stack';
import { redriveAlerts } from '../../src';
import { deliverAlerts } from '../../src/deliverAlerts';
import { hostileAlert, makeAlert } from '../helpers/alerts';
import { BOT_TOKEN, captureLogger, fakeClock, harness, ROUTING_KEY, slackAlertIds } from '../helpers/harness';
import { seededRandom } from '../helpers/random';
import { slackProblems } from '../helpers/slackAssertions';

let slack: Receiver;
let pd: Receiver;

beforeEach(async () => {
  slack = await startSlackReceiver({ token: BOT_TOKEN });
  pd = await startPagerDutyReceiver();
});
afterEach(async () => {
  await slack.stop();
  await pd.stop();
});

type PdBody = {
  dedup_key: string;
  routing_key: string;
  payload: { summary: string; custom_details: { alertIds: string[] } };
};

describe('deliverAlerts() against flaky receivers', () => {
  it('delivers every alert exactly once per destination when 30% of requests fail in the first minute', async () => {
    const clock = fakeClock();
    const chaos = seededRandom(42);
    const flaky = () => {
      if (clock.now() - clock.start >= 60_000 || chaos() >= 0.3) return { kind: 'accept' as const };
      const pick = chaos();
      if (pick < 1 / 3)
        return { kind: 'status' as const, status: 429, retryAfterSeconds: 1 + Math.floor(chaos() * 3) };
      if (pick < 2 / 3) return { kind: 'status' as const, status: 500 };
      return { kind: 'hang' as const };
    };
    slack.setBehaviour(flaky);
    pd.setBehaviour(flaky);
    const alerts = Array.from({ length: 36 }, (_, i) =>
      makeAlert({
        alertId: `evt-${i}`,
        eventId: `evt-${i}`,
        principal: `role/team-${i % 6}`,
        eventTime: i % 4 === 0 ? '2024-05-15T01:00:00Z' : '2024-05-14T09:00:00Z',
        severity: i % 3 === 0 ? 'medium' : 'high',
      }),
    );
    let pending = alerts;
    let invocations = 0;
    const memory = harness({ slack, pagerDuty: pd, clock }).memory;
    while (pending.length > 0 && invocations < 40) {
      invocations += 1;
      // One stream batch per invocation: up to 12 records, the failed ones first (Lambda retries from the lowest).
      const batch = pending.slice(0, 12);
      const deps = harness({
        slack,
        pagerDuty: pd,
        clock,
        store: memory,
        random: chaos,
        requestTimeoutMs: 1_000,
        maxAttempts: 2,
        invocationMs: 300_000,
      });
      const report = await deliverAlerts(batch, deps);
      const failed = new Set(report.incomplete);
      pending = [...batch.filter((a) => failed.has(a.alertId)), ...pending.slice(12)];
      clock.advance(1_000);
    }
    expect(pending).toEqual([]);
    expect(invocations).toBeGreaterThan(3);
    // The chaos really happened.
    expect(slack.requests.some((r) => r.reply === 'hang')).toBe(true);
    expect(pd.requests.some((r) => r.reply === 'status')).toBe(true);

    const slackIds = slack.accepted().flatMap(slackAlertIds);
    expect(slackIds.sort()).toEqual(alerts.map((a) => a.alertId).sort());
    const pdBodies = pd.accepted() as PdBody[];
    const pdIds = pdBodies.flatMap((b) => b.payload.custom_details.alertIds);
    const high = alerts.filter((a) => a.severity === 'high');
    expect(pdIds.sort()).toEqual(high.map((a) => a.alertId).sort());
    const expectedKeys = new Set(high.map((a) => `firstseen/${a.principal}/${a.eventTime.slice(0, 10)}`));
    expect(new Set(pdBodies.map((b) => b.dedup_key))).toEqual(expectedKeys);
    for (const b of pdBodies) {
      const covered = high.filter((a) => b.payload.custom_details.alertIds.includes(a.alertId));
      expect(new Set(covered.map((a) => `firstseen/${a.principal}/${a.eventTime.slice(0, 10)}`))).toEqual(
        new Set([b.dedup_key]),
      );
    }
  });

  it('documents the one duplicate: a timeout after Slack accepted is sent again', async () => {
    slack.setBehaviour(({ index }) =>
      index === 0 ? { kind: 'slowAccept', delayMs: 1_500 } : { kind: 'accept' },
    );
    const deps = harness({
      slack,
      pagerDuty: pd,
      requestTimeoutMs: 600,
      config: { routing: { rules: [{ destinations: ['slack'] }] } },
    });
    const report = await deliverAlerts([makeAlert()], deps);
    expect(report.complete).toEqual([makeAlert().alertId]);
    expect(slack.accepted()).toHaveLength(2);
  });
});

describe('permanent failures', () => {
  it('sends a 404 channel_not_found once, records it as permanent, and redrive re-sends it after the fix', async () => {
    slack.setBehaviour(() => ({ kind: 'status', status: 404 }));
    const deps = harness({ slack, pagerDuty: pd });
    const alert = makeAlert({ severity: 'low' });
    deps.memory.addAlert(alert);
    const report = await deliverAlerts([alert], deps);
    expect(report.incomplete).toEqual([alert.alertId]);
    expect(slack.requests).toHaveLength(1);
    expect(deps.memory.delivery.get(alert.alertId)?.['slack']).toMatchObject({
      status: 'permanent',
      attempts: 1,
      lastError: 'slack webhook HTTP 404 channel_not_found',
    });
    // A retried invocation does not hammer a permanent failure.
    await deliverAlerts([alert], deps);
    expect(slack.requests).toHaveLength(1);

    slack.setBehaviour(() => ({ kind: 'accept' }));
    const redrive = await redriveAlerts(deps, { minAgeMs: 0 });
    expect(redrive.delivered).toEqual([alert.alertId]);
    expect(deps.memory.delivery.get(alert.alertId)?.['slack']).toMatchObject({
      status: 'delivered',
      attempts: 2,
    });
    const again = await redriveAlerts(deps, { minAgeMs: 0 });
    expect(again.attempted).toBe(0);
    expect(slack.accepted()).toHaveLength(1);
  });

  it('treats 400, 403 and 410 as permanent and 429 and 500 as transient', async () => {
    const deps = harness({
      slack,
      pagerDuty: pd,
      maxAttempts: 2,
      config: { routing: { rules: [{ destinations: ['slack'] }] } },
    });
    for (const [status, permanent] of [
      [400, true],
      [403, true],
      [410, true],
      [429, false],
      [500, false],
    ] as const) {
      slack.setBehaviour(() => ({ kind: 'status', status }));
      const alert = makeAlert({ alertId: `s-${status}`, eventId: `s-${status}` });
      await deliverAlerts([alert], deps);
      expect(deps.memory.delivery.get(alert.alertId)?.['slack']?.status).toBe(
        permanent ? 'permanent' : 'failed',
      );
      expect(deps.memory.delivery.get(alert.alertId)?.['slack']?.attempts).toBe(permanent ? 1 : 2);
    }
  });

  it('treats PagerDuty 400 as permanent and retries 429 and 500 until 202', async () => {
    const deps = harness({ slack, pagerDuty: pd });
    pd.setBehaviour(() => ({ kind: 'status', status: 400 }));
    await deliverAlerts([makeAlert({ alertId: 'p1', eventId: 'p1' })], deps);
    expect(deps.memory.delivery.get('p1')?.['pagerduty']).toMatchObject({ status: 'permanent', attempts: 1 });
    pd.setBehaviour(({ index }) =>
      index === 1
        ? { kind: 'status', status: 429, retryAfterSeconds: 2 }
        : index === 2
          ? { kind: 'status', status: 500 }
          : { kind: 'accept' },
    );
    const before = deps.clock.now();
    await deliverAlerts([makeAlert({ alertId: 'p2', eventId: 'p2' })], deps);
    expect(deps.memory.delivery.get('p2')?.['pagerduty']).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(deps.clock.now() - before).toBeGreaterThanOrEqual(2_000);
    expect(pd.requests.at(-1)?.headers['content-type']).toContain('application/json');
  });
});

describe('chat.postMessage', () => {
  const botConfig = {
    routing: {
      destinations: {
        slack: {
          type: 'slack' as const,
          mode: 'bot' as const,
          channel: 'C061EG9SL',
          secret: 'SLACK_BOT_TOKEN',
        },
      },
      rules: [{ destinations: ['slack'] }],
    },
  };

  it('posts with the bot token and checks ok in the 200 body', async () => {
    const deps = harness({ slack, config: botConfig });
    const report = await deliverAlerts([makeAlert()], deps);
    expect(report.complete).toHaveLength(1);
    const req = slack.requests[0]!;
    expect(req.path).toBe('/api/chat.postMessage');
    expect(req.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(req.body).toMatchObject({ channel: 'C061EG9SL', unfurl_links: false, unfurl_media: false });
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth'])(
    'treats ok:false %s as permanent',
    async (error) => {
      slack.setBehaviour(() => ({ kind: 'slackError', error }));
      const deps = harness({ slack, config: botConfig });
      await deliverAlerts([makeAlert()], deps);
      expect(slack.requests).toHaveLength(1);
      expect(deps.memory.delivery.get(makeAlert().alertId)?.['slack']).toMatchObject({
        status: 'permanent',
        lastError: `slack chat.postMessage ${error}`,
      });
    },
  );

  it('retries ok:false internal_error and a 429 ratelimited with Retry-After', async () => {
    slack.setBehaviour(({ index }) =>
      index === 0
        ? { kind: 'slackError', error: 'internal_error' }
        : index === 1
          ? { kind: 'status', status: 429, retryAfterSeconds: 3 }
          : { kind: 'accept' },
    );
    const deps = harness({ slack, config: botConfig });
    const report = await deliverAlerts([makeAlert()], deps);
    expect(report.complete).toHaveLength(1);
    expect(slack.requests).toHaveLength(3);
  });
});

describe('transport failures', () => {
  it('retries refused connections and records them as failed for the next invocation', async () => {
    const deps = harness({
      slack,
      pagerDuty: pd,
      webhookUrl: await refusedUrl('/webhook'),
      maxAttempts: 3,
      config: { routing: { rules: [{ destinations: ['slack'] }] } },
    });
    const report = await deliverAlerts([makeAlert()], deps);
    expect(report.incomplete).toHaveLength(1);
    expect(deps.memory.delivery.get(makeAlert().alertId)?.['slack']).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'connection error ECONNREFUSED',
    });
  });

  it('times out a response that never comes and retries it', async () => {
    slack.setBehaviour(({ index }) => (index === 0 ? { kind: 'hang' } : { kind: 'accept' }));
    const deps = harness({
      slack,
      requestTimeoutMs: 600,
      config: { routing: { rules: [{ destinations: ['slack'] }] } },
    });
    const report = await deliverAlerts([makeAlert()], deps);
    expect(report.complete).toHaveLength(1);
    expect(slack.requests.map((r) => r.reply)).toEqual(['hang', 'accept']);
  });
});

describe('grouping and storm control', () => {
  it('sends one message per principal and a summary listing the alert ids past the per-minute threshold', async () => {
    const deps = harness({
      slack,
      pagerDuty: pd,
      config: { routing: { stormThresholdPerMinute: 2, rules: [{ destinations: ['slack'] }] } },
    });
    const alerts = Array.from({ length: 10 }, (_, i) =>
      makeAlert({ alertId: `g-${i}`, eventId: `g-${i}`, principal: `role/p${i % 5}` }),
    );
    const report = await deliverAlerts(alerts, deps);
    expect(report.complete).toHaveLength(10);
    const bodies = slack.accepted() as { blocks: unknown[] }[];
    expect(bodies).toHaveLength(3);
    expect(slackAlertIds(bodies[0])).toEqual(['g-0', 'g-5']);
    expect(slackAlertIds(bodies[1])).toEqual(['g-1', 'g-6']);
    const summary = JSON.stringify(bodies[2]);
    expect(summary).toContain('Alert storm: 6 first-seen alerts summarised');
    for (const id of ['g-2', 'g-3', 'g-4', 'g-7', 'g-8', 'g-9']) expect(summary).toContain(`\`${id}\``);
    expect(deps.memory.delivery.get('g-9')?.['slack']?.via).toBe('storm-summary');
  });
});

describe('hostile event values', () => {
  it('arrive inert and within limits at both receivers', async () => {
    const deps = harness({ slack, pagerDuty: pd });
    const alerts = [hostileAlert('h1'), hostileAlert('h2<!channel>')];
    await deliverAlerts(alerts, deps);
    expect(slack.accepted()).toHaveLength(1);
    const raw = slack.requests[0]!.raw;
    expect(slackProblems(JSON.parse(raw))).toEqual([]);
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<!here>');
    expect(raw).not.toContain('<https://evil.example');
    expect(raw).not.toMatch(/(^|[^＠])@everyone/);
    expect(raw).not.toContain('\u202E');
    const event = pd.accepted()[0] as PdBody;
    expect(event.payload.summary.length).toBeLessThanOrEqual(1024);
    expect(pd.requests[0]!.raw.length).toBeLessThan(256_000);
  });
});

describe('secrets', () => {
  it('never appear in log lines or stored errors, even when a caller logs them by mistake', async () => {
    const { logger, lines } = captureLogger();
    const webhookUrl = `${slack.baseUrl}/webhook/T000/B000/SECRETwebhookPATH`;
    slack.setBehaviour(({ index }) =>
      index === 0 ? { kind: 'status', status: 500 } : { kind: 'status', status: 404 },
    );
    pd.setBehaviour(() => ({ kind: 'status', status: 400 }));
    const deps = harness({ slack, pagerDuty: pd, logger, webhookUrl });
    await deliverAlerts([makeAlert()], deps);
    logger.error(
      { secrets: { FIRSTSEEN_PAGERDUTY_ROUTING_KEY: ROUTING_KEY }, url: webhookUrl, token: BOT_TOKEN },
      'oops',
    );
    expect(lines.length).toBeGreaterThan(2);
    const logged = lines.join('\n');
    const stored = JSON.stringify([...deps.memory.delivery.values()]);
    for (const secret of [webhookUrl, 'SECRETwebhookPATH', ROUTING_KEY, BOT_TOKEN]) {
      expect(logged).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    expect(logged).toContain('[redacted]');
  });
});
