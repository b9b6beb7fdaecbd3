import { createHmac } from 'node:crypto';
import { InMemorySuppressionStore } from '@firstseen/core';
import { TRIAGE_ACTION_IDS, type TriageDecisionKind } from '@firstseen/notify';
import {
  APP_ID,
  alertFor,
  clickPayload,
  formBody,
  NOW,
  observed,
  SIGNING_SECRET,
  signed,
  TEAM_ID,
  TRUSTED_APPS,
} from '@firstseen/test-support';
import fc from 'fast-check';
import pino from 'pino';
// The package's public API only: what the Lambda handler and the local server call.
import { handleTriageRequest, type TriageRequest, type TrustedSlackApp } from '../../src';
import type { TriageDeps } from '../../src/handleTriageRequest';
import { InMemoryAlertDecisionStore } from '../../src/InMemoryAlertDecisionStore';
import { InMemoryReplayGuard } from '../../src/ReplayGuard';
import { startTriageServer } from '../../src/startTriageServer';
import type { ReplayGuard } from '../../src/types';
import { type RecordingPost, recordingPost } from '../helpers/recordingPost';

/**
 * Hostile requests against the triage endpoint: each must be refused (401 unsigned or replayed,
 * 403 signed but not acceptable) and change nothing: no decision, no suppression, no escalation,
 * no message update, no replay key taken.
 */

const RUNS = 300;
const DECISIONS: TriageDecisionKind[] = ['expected', 'suspicious', 'snooze'];
const KNOWN_ALERTS = ['evt-1', 'evt-root'];
const ACTION_IDS: string[] = Object.values(TRIAGE_ACTION_IDS);
const NOW_S = Math.floor(NOW / 1000);

/** Counts the replay keys actually taken (a write to the table in AWS). */
class CountingGuard implements ReplayGuard {
  taken = 0;
  constructor(private readonly inner: ReplayGuard) {}
  async claim(key: string, acceptedUntilMs: number): Promise<boolean> {
    const ok = await this.inner.claim(key, acceptedUntilMs);
    if (ok) this.taken++;
    return ok;
  }
}

function world(trustedApps: readonly TrustedSlackApp[] = TRUSTED_APPS) {
  let now = NOW;
  const alerts = new InMemoryAlertDecisionStore([
    alertFor(observed({ id: 'evt-1' })),
    alertFor(observed({ id: 'evt-root', principal: 'root/111122223333' }), { severity: 'high' }),
  ]);
  const suppressions = new InMemorySuppressionStore();
  const http: RecordingPost = recordingPost();
  const guard = new CountingGuard(new InMemoryReplayGuard(() => now));
  const deps: TriageDeps = {
    signingSecret: SIGNING_SECRET,
    trustedApps,
    alerts,
    suppressions,
    replayGuard: guard,
    post: http.post,
    pagerDuty: { eventsUrl: 'https://events.pagerduty.test/v2/enqueue', routingKeyFor: () => 'rk' },
    logger: pino({ level: 'silent' }),
    clock: () => now,
  };
  const state = async () => ({
    alerts: await Promise.all(KNOWN_ALERTS.map((id) => alerts.get(id))),
    suppressions: await suppressions.list(),
    posts: structuredClone(http.calls),
    replayKeys: guard.taken,
  });
  return { deps, state, setNow: (ms: number) => (now = ms) };
}

async function refusedUnchanged(request: TriageRequest, status: number, w = world()) {
  const before = await w.state();
  const res = await handleTriageRequest(request, w.deps);
  expect(res.statusCode).toBe(status);
  expect(await w.state()).toEqual(before);
}

const slackId = (prefix: string) => fc.stringMatching(new RegExp(`^${prefix}[A-Z0-9]{2,11}$`));
const decision = fc.constantFrom(...DECISIONS);
const alertId = fc.constantFrom(...KNOWN_ALERTS);
/** A team id as a payload might carry it: absent, ours, another workspace's, or junk. */
const teamValue = fc.oneof(
  fc.constant(null),
  fc.constant(TEAM_ID),
  slackId('T'),
  slackId('E'),
  fc.string({ maxLength: 80 }),
);

describe('hostile triage requests through handleTriageRequest()', () => {
  it('accepts a click from the configured workspace and app (the control for every refusal below)', async () => {
    const w = world();
    const res = await handleTriageRequest(signed(formBody(clickPayload({ alertId: 'evt-1' }))), w.deps);
    expect(res.statusCode).toBe(200);
    expect((await w.state()).suppressions).toHaveLength(1);
  });

  it('answers 403 to correctly signed clicks from any other workspace, or naming none, and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(teamValue, teamValue, decision, alertId, async (teamId, userTeamId, d, id) => {
        const teams = [teamId, userTeamId].filter((t) => t !== null);
        fc.pre(teams.length === 0 || teams.some((t) => t !== TEAM_ID));
        const body = formBody(clickPayload({ alertId: id, decision: d, teamId, userTeamId }));
        await refusedUnchanged(signed(body), 403);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers 403 to correctly signed clicks for any other app, or naming none, and changes nothing', async () => {
    const appValue = fc.oneof(fc.constant(null), slackId('A'), fc.string({ maxLength: 80 }));
    await fc.assert(
      fc.asyncProperty(
        appValue.filter((a) => a !== APP_ID),
        decision,
        alertId,
        async (appId, d, id) => {
          await refusedUnchanged(signed(formBody(clickPayload({ alertId: id, decision: d, appId }))), 403);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers 403 to users who are not listed triagers, when triagers are configured, and changes nothing', async () => {
    const triagers = [{ ...TRUSTED_APPS[0]!, triagerUserIds: ['U0ALICE', 'W0BOB'] }];
    // Control: a listed triager is accepted.
    const ok = world(triagers);
    const body = formBody(clickPayload({ alertId: 'evt-1', userId: 'W0BOB' }));
    expect((await handleTriageRequest(signed(body), ok.deps)).statusCode).toBe(200);

    const user = fc.oneof(slackId('U'), slackId('W'), fc.string({ minLength: 1, maxLength: 64 }));
    await fc.assert(
      fc.asyncProperty(
        user.filter((u) => u !== 'U0ALICE' && u !== 'W0BOB'),
        decision,
        alertId,
        async (userId, d, id) => {
          const request = signed(formBody(clickPayload({ alertId: id, decision: d, userId })));
          await refusedUnchanged(request, 403, world(triagers));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers 403 to every request when no Slack destination is interactive (no trusted app)', async () => {
    await fc.assert(
      fc.asyncProperty(decision, alertId, async (d, id) => {
        await refusedUnchanged(signed(formBody(clickPayload({ alertId: id, decision: d }))), 403, world([]));
      }),
      { numRuns: 30 },
    );
  });

  it('answers 403 to malformed payloads, correctly signed, and changes nothing', async () => {
    const DELETE = Symbol('delete');
    const isObject = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    const any = fc.jsonValue({ maxDepth: 3 });
    const badString = (max: number) =>
      any.filter((v) => !(typeof v === 'string' && v.length >= 1 && v.length <= max));
    // Each mutation breaks something the endpoint relies on; none can turn into a valid click.
    const mutation = fc.oneof(
      fc.record({
        path: fc.constant(['type']),
        value: fc.oneof(
          fc.constant(DELETE),
          any.filter((v) => v !== 'block_actions'),
        ),
      }),
      fc.record({
        path: fc.constant(['user']),
        value: fc.oneof(
          fc.constant(DELETE),
          any.filter((v) => !(isObject(v) && typeof v.id === 'string')),
        ),
      }),
      fc.record({ path: fc.constant(['user', 'id']), value: fc.oneof(fc.constant(DELETE), badString(64)) }),
      fc.record({ path: fc.constant(['user', 'team_id']), value: any.filter((v) => v !== TEAM_ID) }),
      fc.record({
        path: fc.constant(['team']),
        value: any.filter((v) => v !== null && !(isObject(v) && v.id === TEAM_ID)),
      }),
      fc.record({
        path: fc.constant(['api_app_id']),
        value: fc.oneof(
          fc.constant(DELETE),
          any.filter((v) => v !== APP_ID),
        ),
      }),
      fc.record({
        path: fc.constant(['actions']),
        value: fc.oneof(
          fc.constant(DELETE),
          fc.constant([]),
          any.filter((v) => !(Array.isArray(v) && v.length === 1 && isObject(v[0]))),
        ),
      }),
      fc.record({ path: fc.constant(['actions', 0]), value: any.filter((v) => !isObject(v)) }),
      fc.record({
        path: fc.constant(['actions', 0, 'action_id']),
        value: fc.oneof(
          fc.constant(DELETE),
          any.filter((v) => !ACTION_IDS.includes(v as string)),
        ),
      }),
      fc.record({
        path: fc.constant(['actions', 0, 'value']),
        value: fc.oneof(
          fc.constant(DELETE),
          any.filter((v) => !KNOWN_ALERTS.includes(v as string)),
        ),
      }),
      fc.record({
        path: fc.constant(['actions', 0, 'action_ts']),
        value: fc.oneof(fc.constant(DELETE), badString(64)),
      }),
    );
    const apply = (payload: Record<string, unknown>, path: readonly (string | number)[], value: unknown) => {
      const out = structuredClone(payload);
      let at = out as Record<string | number, unknown>;
      for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
      const last = path.at(-1)!;
      if (value === DELETE) delete at[last];
      else at[last] = value;
      return out;
    };
    await fc.assert(
      fc.asyncProperty(mutation, decision, alertId, async (m, d, id) => {
        const payload = apply(clickPayload({ alertId: id, decision: d }), m.path, m.value);
        await refusedUnchanged(signed(formBody(payload)), 403);
      }),
      { numRuns: RUNS },
    );

    // Not a one-field payload form at all.
    const bodies = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.jsonValue().map((v) => `payload=${encodeURIComponent(JSON.stringify(v))}`),
      fc.string({ maxLength: 200 }).map((s) => `payload=${encodeURIComponent(s)}`),
      fc
        .constantFrom(...DECISIONS)
        .map((d) => `${formBody(clickPayload({ alertId: 'evt-1', decision: d }))}&payload=x`),
      fc
        .constantFrom(...DECISIONS)
        .map((d) => `${formBody(clickPayload({ alertId: 'evt-1', decision: d }))}&extra=1`),
      fc.constant(
        formBody({
          ...clickPayload({ alertId: 'evt-1' }),
          actions: [1, 2].map(() => (clickPayload({ alertId: 'evt-1' }).actions as unknown[])[0]),
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        await refusedUnchanged(signed(body), 403);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers 401 to forged requests (wrong secret, forged or missing signature, stale or bad timestamp) and changes nothing', async () => {
    const valid = fc
      .tuple(decision, alertId)
      .map(([d, id]) => formBody(clickPayload({ alertId: id, decision: d })));
    const forged = fc.oneof(
      // Signed with another secret.
      fc
        .tuple(
          valid,
          fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s !== SIGNING_SECRET),
        )
        .map(([body, secret]) => signed(body, { secret })),
      // Any signature header value, with a good timestamp.
      fc.tuple(valid, fc.string({ maxLength: 80 })).map(([body, sig]) => ({
        headers: { 'x-slack-request-timestamp': String(NOW_S), 'x-slack-signature': sig },
        body,
      })),
      // A valid signature over another body (the attacker changes the decision or the alert).
      fc
        .tuple(valid, valid)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => ({ ...signed(a), body: b })),
      // Correctly signed, outside the 5-minute window either way.
      fc
        .tuple(
          valid,
          fc.oneof(fc.integer({ min: 301, max: 10_000_000 }), fc.integer({ min: -10_000_000, max: -301 })),
        )
        .map(([body, skew]) => signed(body, { timestampSeconds: NOW_S + skew })),
      // Signed over a timestamp header that is not an integer of seconds.
      fc
        .tuple(
          valid,
          fc.string({ maxLength: 20 }).filter((t) => !/^\d{1,12}$/.test(t)),
        )
        .map(([body, ts]) => ({
          headers: {
            'x-slack-request-timestamp': ts,
            'x-slack-signature': `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
          },
          body,
        })),
      // Headers missing.
      valid.map((body) => ({ headers: {}, body })),
    );
    await fc.assert(
      fc.asyncProperty(forged, async (request) => {
        await refusedUnchanged(request as TriageRequest, 401);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers 401 to a replayed request at any moment its timestamp is still accepted, and changes nothing more', async () => {
    const windowMs = 300_000;
    await fc.assert(
      fc.asyncProperty(
        decision,
        fc.integer({ min: -300, max: 300 }),
        fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
        async (d, offsetS, where) => {
          const w = world();
          const request = signed(formBody(clickPayload({ alertId: 'evt-1', decision: d })), {
            timestampSeconds: NOW_S + offsetS,
          });
          expect((await handleTriageRequest(request, w.deps)).statusCode).toBe(200);
          const after = await w.state();
          // Anywhere from now to the last instant the timestamp passes the window check.
          const lastAccepted = (NOW_S + offsetS) * 1000 + windowMs;
          w.setNow(NOW + Math.floor(where * (lastAccepted - NOW)));
          expect((await handleTriageRequest(request, w.deps)).statusCode).toBe(401);
          expect(await w.state()).toEqual(after);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses a replay at the very last instant its timestamp is accepted', async () => {
    const w = world();
    // Stamped 5 minutes ahead of the server's clock: accepted now and for 10 minutes.
    const request = signed(formBody(clickPayload({ alertId: 'evt-1' })), { timestampSeconds: NOW_S + 300 });
    expect((await handleTriageRequest(request, w.deps)).statusCode).toBe(200);
    const after = await w.state();
    w.setNow(NOW + 600_000);
    expect((await handleTriageRequest(request, w.deps)).statusCode).toBe(401);
    expect(await w.state()).toEqual(after);
  });

  it('answers 403 to a Snooze of a root principal and changes nothing; Expected on that alert is accepted', async () => {
    const w = world();
    const snooze = formBody(clickPayload({ alertId: 'evt-root', decision: 'snooze' }));
    await refusedUnchanged(signed(snooze), 403, w);
    const expected = formBody(clickPayload({ alertId: 'evt-root', decision: 'expected', actionTs: '2.0' }));
    expect((await handleTriageRequest(signed(expected), w.deps)).statusCode).toBe(200);
    expect((await w.state()).suppressions).toEqual([
      expect.objectContaining({ principal: 'root/111122223333', action: 'iam.amazonaws.com:CreateRole' }),
    ]);
  });
});

describe('hostile triage requests through startTriageServer()', () => {
  it('refuses foreign, forged, replayed and malformed requests over HTTP and changes nothing', async () => {
    const w = world();
    const server = await startTriageServer({ deps: { ...w.deps, clock: undefined } });
    // The server's clock is real here: sign with it.
    const stamp = () => Math.floor(Date.now() / 1000);
    const post = async (request: TriageRequest) => {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: request.headers as Record<string, string>,
        body: request.body ?? '',
      });
      await res.text();
      return res.status;
    };
    const valid = await post(
      signed(formBody(clickPayload({ alertId: 'evt-1' })), { timestampSeconds: stamp() }),
    );
    const replayable = signed(
      formBody(clickPayload({ alertId: 'evt-1', decision: 'suspicious', actionTs: '9.0' })),
      {
        timestampSeconds: stamp(),
      },
    );
    expect([valid, await post(replayable)]).toEqual([200, 200]);
    const before = await w.state();

    const hostile = fc.oneof(
      fc
        .tuple(
          teamValue.filter((t) => t !== TEAM_ID && t !== null),
          decision,
        )
        .map(([teamId, d]) => ({
          status: 403,
          request: () =>
            signed(formBody(clickPayload({ alertId: 'evt-1', decision: d, teamId })), {
              timestampSeconds: stamp(),
            }),
        })),
      fc
        .tuple(
          slackId('A').filter((a) => a !== APP_ID),
          decision,
        )
        .map(([appId, d]) => ({
          status: 403,
          request: () =>
            signed(formBody(clickPayload({ alertId: 'evt-1', decision: d, appId })), {
              timestampSeconds: stamp(),
            }),
        })),
      fc.string({ maxLength: 200 }).map((body) => ({
        status: 403,
        request: () => signed(body, { timestampSeconds: stamp() }),
      })),
      fc
        .string({ minLength: 1, maxLength: 40 })
        .filter((s) => s !== SIGNING_SECRET)
        .map((secret) => ({
          status: 401,
          request: () =>
            signed(formBody(clickPayload({ alertId: 'evt-1', decision: 'snooze' })), {
              timestampSeconds: stamp(),
              secret,
            }),
        })),
      fc.constant({ status: 401, request: () => replayable }),
    );
    try {
      await fc.assert(
        fc.asyncProperty(hostile, async (h) => {
          expect(await post(h.request())).toBe(h.status);
        }),
        { numRuns: 100 },
      );
      expect(await w.state()).toEqual(before);
    } finally {
      await server.stop();
    }
  });
});
