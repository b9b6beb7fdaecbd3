import {
  createSuppressionCheck,
  DEFAULT_SENSITIVE_ACTIONS,
  DetectionEngine,
  InMemoryBaselineStore,
  InMemorySuppressionStore,
  parseConfig,
  type SuppressionStore,
} from '@firstseen/core';
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
import fc from 'fast-check';
import pino from 'pino';
import { handleTriageRequest, runTriageCommand } from '../../src';
import { InMemoryAlertDecisionStore } from '../../src/InMemoryAlertDecisionStore';
import { InMemoryReplayGuard } from '../../src/ReplayGuard';
import { parseSuppressions } from '../../src/suppressionsFile';
import type { TriageAlert } from '../../src/types';
import { recordingPost } from '../helpers/recordingPost';

/**
 * docs/semantics.md "Policy and the alert": no suppression silences a sensitive action or a `root/`
 * principal unless it names that exact principal and action. Checked where alerts are decided:
 * the DetectionEngine with createSuppressionCheck, whichever way the suppression was made
 * (Slack Expected / Snooze, `triage add`, a replay suppressions file).
 */

const ROOT = 'root/111122223333';
const STOP_LOGGING = { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' };
const split = (action: string) => {
  const [eventSource, eventName] = action.split(':') as [string, string];
  return { eventSource, eventName };
};

function pipeline(
  suppressions: SuppressionStore = new InMemorySuppressionStore(),
  at: 'now' | 'event' = 'now',
) {
  let seq = 0;
  const engine = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: parseConfig({ burnInDays: 0 }),
    // TTL 0: each detection reads the store, so a new suppression counts at once.
    suppressed: createSuppressionCheck({ store: suppressions, clock: () => NOW, ttlMs: 0, at }),
  });
  /** Detects a first occurrence (a new account each time, so a level always fires). */
  const detect = async (spec: {
    principal?: string;
    eventSource?: string;
    eventName?: string;
    region?: string;
  }) => {
    seq++;
    const d = await engine.detect(
      observed({ id: `e-${seq}`, account: String(200000000000 + seq), time: NOW + seq, ...spec }),
    );
    expect(d.fired.length).toBeGreaterThan(0);
    return d;
  };
  return { engine, suppressions, detect };
}

async function click(
  alerts: InMemoryAlertDecisionStore,
  suppressions: SuppressionStore,
  alertId: string,
  decision: 'expected' | 'snooze',
) {
  const res = await handleTriageRequest(signed(formBody(clickPayload({ alertId, decision }))), {
    signingSecret: SIGNING_SECRET,
    trustedApps: TRUSTED_APPS,
    alerts,
    suppressions,
    replayGuard: new InMemoryReplayGuard(() => NOW),
    post: recordingPost().post,
    pagerDuty: { eventsUrl: 'https://pd.test', routingKeyFor: () => undefined },
    logger: pino({ level: 'silent' }),
    clock: () => NOW,
  });
  return res.statusCode;
}

describe('the triage rule (docs/semantics.md) through the DetectionEngine', () => {
  it('a Snooze never silences a sensitive action of the principal, and silences its other actions', async () => {
    const p = pipeline();
    const alerts = new InMemoryAlertDecisionStore([
      alertFor(observed({ id: 'evt-1', principal: 'role/deploy' })),
    ]);
    expect(await click(alerts, p.suppressions, 'evt-1', 'snooze')).toBe(200);

    for (const action of DEFAULT_SENSITIVE_ACTIONS) {
      const d = await p.detect({ principal: 'role/deploy', ...split(action) });
      expect([action, d.suppressed, d.alert?.severity]).toEqual([action, undefined, 'high']);
    }
    expect((await p.detect({ principal: 'role/deploy', eventName: 'ListRoles' })).suppressed).toBe(
      'suppression',
    );
  });

  it('an Expected on a StopLogging alert silences that principal and action only', async () => {
    const p = pipeline();
    const stop = alertFor(observed({ id: 'evt-stop', principal: 'role/deploy', ...STOP_LOGGING }));
    expect(await click(new InMemoryAlertDecisionStore([stop]), p.suppressions, 'evt-stop', 'expected')).toBe(
      200,
    );

    expect((await p.detect({ principal: 'role/deploy', ...STOP_LOGGING })).suppressed).toBe('suppression');
    expect(
      (await p.detect({ principal: 'role/deploy', ...split('cloudtrail.amazonaws.com:DeleteTrail') })).alert,
    ).toBeDefined();
    expect((await p.detect({ principal: 'role/other', ...STOP_LOGGING })).alert).toBeDefined();
  });

  it('`triage add` without --action never silences StopLogging; with --action StopLogging it does', async () => {
    const p = pipeline();
    const run = (...argv: string[]) =>
      runTriageCommand(argv, {
        suppressions: p.suppressions,
        alerts: new InMemoryAlertDecisionStore(),
        clock: () => NOW,
        out: () => {},
        user: 'ops',
      });
    await run('add', '--principal', 'role/ci', '--days', '30');
    expect((await p.detect({ principal: 'role/ci', ...STOP_LOGGING })).alert).toBeDefined();
    expect((await p.detect({ principal: 'role/ci', eventName: 'ListRoles' })).suppressed).toBe('suppression');

    await run(
      'add',
      '--principal',
      'role/ci',
      '--action',
      'cloudtrail.amazonaws.com:StopLogging',
      '--days',
      '30',
    );
    expect((await p.detect({ principal: 'role/ci', ...STOP_LOGGING })).suppressed).toBe('suppression');
  });

  it('a root principal: Snooze refused, a principal-wide suppression from a file inert, an Expected silences that action only', async () => {
    // A suppressions file (replay --suppressions) may hold principal-wide root entries: they never apply.
    const file = parseSuppressions([
      { principal: ROOT, expiresAt: NOW + 86_400_000 },
      { principal: ROOT, account: '111122223333', region: 'us-east-1', expiresAt: NOW + 86_400_000 },
    ]);
    const p = pipeline(new InMemorySuppressionStore(file), 'event');
    const rootAlert: TriageAlert = alertFor(observed({ id: 'evt-root', principal: ROOT }), {
      severity: 'high',
    });
    const alerts = new InMemoryAlertDecisionStore([rootAlert]);
    expect((await p.detect({ principal: ROOT })).alert).toBeDefined();

    expect(await click(alerts, p.suppressions, 'evt-root', 'snooze')).toBe(403);
    expect(await p.suppressions.list()).toHaveLength(2);

    expect(await click(alerts, p.suppressions, 'evt-root', 'expected')).toBe(200);
    expect((await p.detect({ principal: ROOT })).suppressed).toBe('suppression');
    expect((await p.detect({ principal: ROOT, eventName: 'ListRoles' })).alert).toBeDefined();
    expect((await p.detect({ principal: ROOT, ...STOP_LOGGING })).alert).toBeDefined();
  });

  it('holds for any principal, action and suppression scope (suppressions file, replay mode)', async () => {
    const choice = fc.constantFrom('same', 'other', 'none');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('role/deploy', 'user/111122223333/alice', 'sso/Admin', ROOT, 'root/444455556666'),
        fc.oneof(
          fc.constantFrom(...DEFAULT_SENSITIVE_ACTIONS),
          fc.constantFrom('iam.amazonaws.com:ListRoles', 's3.amazonaws.com:GetObject'),
        ),
        fc.record({ action: choice, account: choice, region: choice }),
        async (principal, action, scope) => {
          const account = '777788889999';
          const region = 'eu-west-1';
          const pick = (c: string, same: string, other: string) =>
            c === 'same' ? same : c === 'other' ? other : undefined;
          const entry = {
            principal,
            expiresAt: NOW + 86_400_000,
            ...(scope.action !== 'none' && {
              action: pick(scope.action, action, 'ec2.amazonaws.com:RunInstances'),
            }),
            ...(scope.account !== 'none' && { account: pick(scope.account, account, '000000000000') }),
            ...(scope.region !== 'none' && { region: pick(scope.region, region, 'ap-south-1') }),
          };
          const engine = new DetectionEngine({
            store: new InMemoryBaselineStore(),
            config: parseConfig({ burnInDays: 0 }),
            suppressed: createSuppressionCheck({
              store: new InMemorySuppressionStore(parseSuppressions([entry])),
              at: 'event',
              ttlMs: 0,
            }),
          });
          const d = await engine.detect(
            observed({ id: 'e-1', principal, account, region, time: NOW, ...split(action) }),
          );

          const covers = [scope.action, scope.account, scope.region].every((c) => c !== 'other');
          const protectedEvent = DEFAULT_SENSITIVE_ACTIONS.includes(action) || principal.startsWith('root/');
          const silenced = covers && (scope.action === 'same' || !protectedEvent);
          expect(d.suppressed === 'suppression').toBe(silenced);
          expect(d.alert !== undefined).toBe(!silenced);
        },
      ),
      { numRuns: 300 },
    );
  });
});
