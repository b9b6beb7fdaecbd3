import { InMemorySuppressionStore } from '@firstseen/core';
import {
  alertFor,
  clickPayload,
  formBody,
  NOW,
  observed,
  SIGNING_SECRET,
  signed,
  TRUSTED_APPS,
} from '@firstseen/test-support';
import pino from 'pino';
import { handleTriageRequest, type TriageDeps } from '../../src/handleTriageRequest';
import { InMemoryAlertDecisionStore } from '../../src/InMemoryAlertDecisionStore';
import { InMemoryReplayGuard } from '../../src/ReplayGuard';
import { type RecordingPost, recordingPost } from '../helpers/recordingPost';

const PD_URL = 'https://events.pagerduty.test/v2/enqueue';
const DAY = 86_400_000;

function setup(overrides: Partial<TriageDeps> = {}) {
  const alert = alertFor(observed({ id: 'evt-1' }));
  const alerts = new InMemoryAlertDecisionStore([alert]);
  const suppressions = new InMemorySuppressionStore();
  const http: RecordingPost = recordingPost();
  let now = NOW;
  const deps: TriageDeps = {
    signingSecret: SIGNING_SECRET,
    trustedApps: TRUSTED_APPS,
    alerts,
    suppressions,
    replayGuard: new InMemoryReplayGuard(() => now),
    post: http.post,
    pagerDuty: { eventsUrl: PD_URL, routingKeyFor: () => 'routing-key-1' },
    logger: pino({ level: 'silent' }),
    clock: () => now,
    ...overrides,
  };
  const unchanged = async () => ({
    decisions: (await alerts.get('evt-1'))?.decisions,
    suppressions: await suppressions.list(),
    posts: http.calls.length,
  });
  return { alert, alerts, suppressions, http, deps, unchanged, advance: (ms: number) => (now += ms) };
}

const pagerDutyCalls = (http: RecordingPost) => http.calls.filter((c) => c.url === PD_URL);

describe('handleTriageRequest()', () => {
  it('records an Expected click with who, when and where, adds the suppression and updates the message', async () => {
    const t = setup();
    const res = await handleTriageRequest(
      signed(formBody(clickPayload({ alertId: 'evt-1', alert: t.alert }))),
      t.deps,
    );

    expect(res.statusCode).toBe(200);
    const stored = await t.alerts.get('evt-1');
    expect(stored?.decisions).toEqual([
      expect.objectContaining({
        decision: 'expected',
        userId: 'U0ALICE',
        userName: 'alice',
        teamId: 'T0TEAM',
        channelId: 'C0SEC',
        channelName: 'security-alerts',
        at: new Date(NOW).toISOString(),
        suppressedUntil: new Date(NOW + 90 * DAY).toISOString(),
      }),
    ]);
    expect(await t.suppressions.list()).toEqual([
      expect.objectContaining({
        principal: 'role/deploy',
        action: 'iam.amazonaws.com:CreateRole',
        expiresAt: NOW + 90 * DAY,
        reason: 'expected',
        createdBy: 'U0ALICE',
      }),
    ]);
    const [update] = t.http.calls;
    expect(update?.url).toBe('https://hooks.slack.com/actions/T0TEAM/1/abc');
    const body = update?.body as {
      replace_original: boolean;
      blocks: { type: string; text?: { text: string } }[];
    };
    expect(body.replace_original).toBe(true);
    expect(body.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(body.blocks)).toContain('*Expected* by <@U0ALICE> (alice)');
  });

  it('suppresses only the account or region when the expected scope says so', async () => {
    const t = setup({ expectedScope: 'region' });
    await handleTriageRequest(signed(formBody(clickPayload({ alertId: 'evt-1' }))), t.deps);
    expect(await t.suppressions.list()).toEqual([
      expect.objectContaining({ account: '111122223333', region: 'us-east-1' }),
    ]);
  });

  it('snoozes every action of the principal for 7 days', async () => {
    const t = setup();
    await handleTriageRequest(
      signed(formBody(clickPayload({ alertId: 'evt-1', decision: 'snooze' }))),
      t.deps,
    );
    const [s] = await t.suppressions.list();
    expect(s).toMatchObject({ principal: 'role/deploy', id: 'principal-wide', expiresAt: NOW + 7 * DAY });
    expect(s?.action).toBeUndefined();
  });

  it.each([
    [
      'a bad signature',
      () => signed(formBody(clickPayload({ alertId: 'evt-1' })), { secret: 'wrong-secret' }),
    ],
    [
      'a stale timestamp',
      () =>
        signed(formBody(clickPayload({ alertId: 'evt-1' })), {
          timestampSeconds: Math.floor(NOW / 1000) - 301,
        }),
    ],
    [
      'a timestamp from the future',
      () =>
        signed(formBody(clickPayload({ alertId: 'evt-1' })), {
          timestampSeconds: Math.floor(NOW / 1000) + 301,
        }),
    ],
    [
      'a body changed after signing',
      () => {
        const r = signed(formBody(clickPayload({ alertId: 'evt-1' })));
        return { ...r, body: formBody(clickPayload({ alertId: 'evt-1', decision: 'snooze' })) };
      },
    ],
    [
      'a missing signature header',
      () => {
        const r = signed(formBody(clickPayload({ alertId: 'evt-1' })));
        return { ...r, headers: { 'x-slack-request-timestamp': r.headers['x-slack-request-timestamp'] } };
      },
    ],
    [
      'a truncated signature',
      () => {
        const r = signed(formBody(clickPayload({ alertId: 'evt-1' })));
        return {
          ...r,
          headers: { ...r.headers, 'x-slack-signature': r.headers['x-slack-signature']!.slice(0, 20) },
        };
      },
    ],
  ])('answers 401 to %s and changes nothing', async (_name, request) => {
    const t = setup();
    const before = await t.unchanged();
    const res = await handleTriageRequest(request(), t.deps);
    expect(res.statusCode).toBe(401);
    expect(await t.unchanged()).toEqual(before);
  });

  it('answers 401 to a replayed request and changes nothing the second time', async () => {
    const t = setup();
    const request = signed(formBody(clickPayload({ alertId: 'evt-1' })));
    expect((await handleTriageRequest(request, t.deps)).statusCode).toBe(200);
    const after = await t.unchanged();
    t.advance(60_000);
    expect((await handleTriageRequest(request, t.deps)).statusCode).toBe(401);
    expect(await t.unchanged()).toEqual(after);
  });

  it.each([
    ['a body that is not a payload form', () => 'hello=world'],
    ['a payload that is not JSON', () => 'payload=%7Bnot-json'],
    [
      'a payload of another type',
      () => formBody({ ...clickPayload({ alertId: 'evt-1' }), type: 'view_submission' }),
    ],
    ['an unknown action', () => formBody(clickPayload({ alertId: 'evt-1', actionId: 'delete_everything' }))],
    ['an unknown alert', () => formBody(clickPayload({ alertId: 'evt-unknown' }))],
  ])('answers 403 to %s (validly signed) and changes nothing', async (_name, body) => {
    const t = setup();
    const before = await t.unchanged();
    const res = await handleTriageRequest(signed(body()), t.deps);
    expect(res.statusCode).toBe(403);
    expect(await t.unchanged()).toEqual(before);
  });

  it('answers 400 to an oversized body and changes nothing', async () => {
    const t = setup();
    const before = await t.unchanged();
    const body = `${formBody(clickPayload({ alertId: 'evt-1' }))}&pad=${'x'.repeat(300_000)}`;
    expect((await handleTriageRequest(signed(body), t.deps)).statusCode).toBe(400);
    expect(await t.unchanged()).toEqual(before);
  });

  it('escalates a Suspicious click once at high severity with the triager, however often Slack retries it', async () => {
    const t = setup();
    const body = formBody(clickPayload({ alertId: 'evt-1', decision: 'suspicious' }));
    const first = await handleTriageRequest(signed(body), t.deps);
    // Slack's retries carry the same click, signed again with a later timestamp.
    t.advance(4_000);
    const retry1 = await handleTriageRequest(
      signed(body, { timestampSeconds: Math.floor(NOW / 1000) + 4 }),
      t.deps,
    );
    t.advance(4_000);
    const retry2 = await handleTriageRequest(
      signed(body, { timestampSeconds: Math.floor(NOW / 1000) + 8 }),
      t.deps,
    );

    expect([first.statusCode, retry1.statusCode, retry2.statusCode]).toEqual([200, 200, 200]);
    const pd = pagerDutyCalls(t.http);
    expect(pd).toHaveLength(1);
    expect(pd[0]?.body).toMatchObject({
      routing_key: 'routing-key-1',
      dedup_key: 'firstseen/triage/evt-1',
      payload: {
        severity: 'critical',
        summary: expect.stringContaining('Marked suspicious by alice (U0ALICE)'),
      },
    });
    const stored = await t.alerts.get('evt-1');
    expect(stored?.decisions).toHaveLength(1);
    expect(stored?.escalation).toMatchObject({ status: 'sent', by: 'U0ALICE' });
  });

  it('records a second Suspicious click by someone else without escalating again', async () => {
    const t = setup();
    await handleTriageRequest(
      signed(formBody(clickPayload({ alertId: 'evt-1', decision: 'suspicious' }))),
      t.deps,
    );
    const res = await handleTriageRequest(
      signed(
        formBody(
          clickPayload({ alertId: 'evt-1', decision: 'suspicious', userId: 'U0BOB', actionTs: '2.0' }),
        ),
      ),
      t.deps,
    );
    expect(res.statusCode).toBe(200);
    expect(pagerDutyCalls(t.http)).toHaveLength(1);
    expect((await t.alerts.get('evt-1'))?.decisions?.map((d) => d.userId)).toEqual(['U0ALICE', 'U0BOB']);
  });

  it('lets a new click retry an escalation that failed', async () => {
    const t = setup();
    t.http.failNext(PD_URL, 500);
    await handleTriageRequest(
      signed(formBody(clickPayload({ alertId: 'evt-1', decision: 'suspicious' }))),
      t.deps,
    );
    expect((await t.alerts.get('evt-1'))?.escalation?.status).toBe('failed');
    expect(JSON.stringify(t.http.calls.at(-1)?.body)).toContain('FAILED');

    await handleTriageRequest(
      signed(formBody(clickPayload({ alertId: 'evt-1', decision: 'suspicious', actionTs: '2.0' }))),
      t.deps,
    );
    expect(pagerDutyCalls(t.http)).toHaveLength(2);
    expect((await t.alerts.get('evt-1'))?.escalation?.status).toBe('sent');
  });

  it('never calls a response_url outside Slack', async () => {
    const t = setup();
    const res = await handleTriageRequest(
      signed(
        formBody(clickPayload({ alertId: 'evt-1', responseUrl: 'http://169.254.169.254/latest/meta-data' })),
      ),
      t.deps,
    );
    expect(res.statusCode).toBe(200);
    expect(t.http.calls).toEqual([]);
  });

  it('accepts a base64-encoded body, as a function URL delivers it', async () => {
    const t = setup();
    const r = signed(formBody(clickPayload({ alertId: 'evt-1' })));
    const res = await handleTriageRequest(
      { ...r, body: Buffer.from(r.body!, 'utf8').toString('base64'), isBase64Encoded: true },
      t.deps,
    );
    expect(res.statusCode).toBe(200);
    expect((await t.alerts.get('evt-1'))?.decisions).toHaveLength(1);
  });
});
