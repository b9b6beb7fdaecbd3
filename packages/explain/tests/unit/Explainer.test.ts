import { describeAlert } from '../../src/describeAlert';
import { Explainer } from '../../src/Explainer';
import { InMemoryExplainStore } from '../../src/InMemoryExplainStore';
import type { ExplanationContext } from '../../src/types';
import { detectionOf, observedEvent } from '../helpers/events';

const T0 = Date.UTC(2025, 0, 6, 12);

describe('Explainer.observe()', () => {
  it('costs no store request for an ordinary event of a known principal', async () => {
    const store = new InMemoryExplainStore();
    const explainer = new Explainer({ store });
    const first = observedEvent({ time: T0 });
    await explainer.observe({ event: first, detection: detectionOf(first, ['role']), source: 'live' });
    const before = store.requests;
    for (let i = 1; i <= 50; i++) {
      const e = observedEvent({ time: T0 + i * 1000, sourceIPAddress: `10.0.1.${i}` });
      await explainer.observe({ event: e, detection: detectionOf(e, []), source: 'live' });
    }
    expect(store.requests).toBe(before);
  });

  it('writes once for a user agent family or network the principal has not used', async () => {
    const store = new InMemoryExplainStore();
    const explainer = new Explainer({ store });
    const first = observedEvent({ time: T0 });
    await explainer.observe({ event: first, detection: detectionOf(first, ['role']), source: 'live' });
    const before = store.counts.putProfile;
    const cli = observedEvent({ time: T0 + 1000, userAgent: 'aws-cli/2.17.0 os/linux' });
    await explainer.observe({ event: cli, detection: detectionOf(cli, []), source: 'live' });
    const again = observedEvent({ time: T0 + 2000, userAgent: 'aws-cli/2.17.1 os/linux' });
    await explainer.observe({ event: again, detection: detectionOf(again, []), source: 'live' });
    expect(store.counts.putProfile).toBe(before + 1);
  });

  it('counts a redelivered claim once', async () => {
    const store = new InMemoryExplainStore();
    const explainer = new Explainer({ store });
    const e = observedEvent({ time: T0, eventName: 'PutObject', action: 's3.amazonaws.com:PutObject' });
    await explainer.observe({ event: e, detection: detectionOf(e, ['role']), source: 'live' });
    await explainer.observe({ event: e, detection: detectionOf(e, ['role']), source: 'live' });
    // A second process (cold cache) sees the redelivery too.
    await new Explainer({ store }).observe({ event: e, detection: detectionOf(e, ['role']), source: 'live' });
    expect(store.prevalenceOf('s3.amazonaws.com:PutObject')).toBe(1);
  });

  it('counts a principal once per action across two explainers sharing a store', async () => {
    const store = new InMemoryExplainStore();
    const a = new Explainer({ store });
    const b = new Explainer({ store });
    for (const [i, principal] of ['role/a', 'role/b', 'role/c'].entries()) {
      const e = observedEvent({ time: T0 + i, principal });
      await (i % 2 === 0 ? a : b).observe({ event: e, detection: detectionOf(e, ['role']), source: 'live' });
    }
    const e = observedEvent({ time: T0 + 10, principal: 'role/d' });
    await a.observe({ event: e, detection: detectionOf(e, ['role', 'account']), source: 'live' });
    const ctx = (await a.context({ event: e, detection: detectionOf(e, ['role']), source: 'live' })) as {
      facts: { prevalence: { otherPrincipals: number } };
    };
    expect(ctx.facts.prevalence.otherPrincipals).toBe(3);
  });

  it('does not count a first success after failures as a new action', async () => {
    const store = new InMemoryExplainStore();
    const explainer = new Explainer({ store });
    const e = observedEvent({ time: T0 });
    await explainer.observe({
      event: e,
      detection: detectionOf(e, ['role'], { firstSuccessAfterFailure: true }),
      source: 'live',
    });
    expect(store.prevalenceOf(e.action)).toBe(0);
  });
});

describe('Explainer.context()', () => {
  it('ignores a permission change older than 24 hours', async () => {
    const store = new InMemoryExplainStore();
    const explainer = new Explainer({ store });
    await store.recordIamChange({
      target: 'role/payments-api',
      eventName: 'PutRolePolicy',
      eventId: 'iam-1',
      time: T0 - 25 * 3_600_000,
      eventTime: new Date(T0 - 25 * 3_600_000).toISOString(),
      actor: 'role/terraform',
    });
    const e = observedEvent({ time: T0 });
    const ctx = await explainer.context({ event: e, detection: detectionOf(e, ['role']), source: 'live' });
    expect(ctx['reason']).toBe('new-action');
  });

  it('still explains when the store cannot be read', async () => {
    const store = new InMemoryExplainStore();
    store.readAlertFacts = () => Promise.reject(new Error('down'));
    const e = observedEvent({ time: T0, errorCode: 'AccessDenied' });
    const ctx = await new Explainer({ store }).context({
      event: e,
      detection: detectionOf(e, ['role']),
      source: 'live',
    });
    expect(ctx['explanation']).toMatch(/denied/);
    expect(ctx['incomplete']).toBeDefined();
  });
});

describe('Explainer: what counts as a deployment', () => {
  const TF = 'APN/1.0 HashiCorp/1.0 Terraform/1.8.5 aws-sdk-go-v2/1.30.1';
  const CLI = 'aws-cli/2.17.0 os/linux';
  const DAY = 86_400_000;

  /** Runs calls of role/deployer through one explainer; returns the last call's context. */
  async function lastContext(
    calls: { t: number; ua: string; ip?: string; action?: string; fired?: ('role' | 'account')[] }[],
    sensitive = false,
  ): Promise<ExplanationContext> {
    const explainer = new Explainer({ store: new InMemoryExplainStore() });
    let ctx: ExplanationContext | undefined;
    for (const [i, c] of calls.entries()) {
      const action = c.action ?? `ec2.amazonaws.com:Create${i}`;
      const e = observedEvent({
        time: c.t,
        principal: 'role/deployer',
        userAgent: c.ua,
        sourceIPAddress: c.ip ?? '203.0.113.10',
        eventSource: action.split(':')[0]!,
        eventName: action.split(':')[1]!,
        action,
      });
      const detection = detectionOf(e, c.fired ?? ['role'], { firstSighting: T0 - 30 * DAY });
      await explainer.observe({ event: e, detection, source: 'live' });
      ctx = (await explainer.context({
        event: e,
        detection,
        source: 'live',
        sensitive,
      })) as ExplanationContext;
    }
    return ctx!;
  }

  // Terraform and the CLI used two days ago, from the usual network.
  const history = [
    { t: T0 - 2 * DAY, ua: TF, fired: [] as 'role'[] },
    { t: T0 - 2 * DAY + 1000, ua: CLI, fired: [] as 'role'[] },
  ];
  const burst = (ua: string, ip?: string) =>
    [0, 1, 2].map((i) => ({ t: T0 + i * 60_000, ua, ...(ip !== undefined && { ip }) }));

  it('reads a burst of a known deployment tool from a known network as a deployment', async () => {
    const ctx = await lastContext([...history, ...burst(TF)]);
    expect(ctx.reason).toBe('deployment');
    expect(ctx.facts.burst?.deploymentTool).toBe('Terraform');
  });

  it('does not when the burst comes from the CLI, even a familiar one', async () => {
    const ctx = await lastContext([...history, ...burst(CLI)]);
    expect(ctx.reason).toBe('new-action');
    expect(ctx.explanation).toMatch(
      /^3 new actions by this principal within 10 minutes, not from a deployment tool/,
    );
  });

  it('does not when the event itself comes from another tool than the burst', async () => {
    const ctx = await lastContext([...history, ...burst(TF).slice(0, 2), { t: T0 + 120_000, ua: CLI }]);
    expect(ctx.reason).not.toBe('deployment');
  });

  it('does not when a call of the burst came from another tool', async () => {
    const calls = [...history, { t: T0, ua: CLI }, { t: T0 + 60_000, ua: TF }, { t: T0 + 120_000, ua: TF }];
    expect((await lastContext(calls)).reason).not.toBe('deployment');
  });

  it('does not when the tool is first used in the burst itself', async () => {
    const ctx = await lastContext([{ t: T0 - 2 * DAY, ua: CLI, fired: [] }, ...burst(TF)]);
    expect(ctx.reason).toBe('unusual-context');
    // Even when nothing else says so: the known network's only earlier call had no user agent.
    const quiet = await lastContext([{ t: T0 - 2 * DAY, ua: '', fired: [] }, ...burst(TF)]);
    expect(quiet.reason).toBe('new-action');
  });

  it('does not when the burst comes from a network the principal had not used', async () => {
    const ctx = await lastContext([...history, ...burst(TF, '198.51.100.7')]);
    expect(ctx.reason).toBe('unusual-context');
    expect(ctx.explanation).toContain('network 198.51.100.0/24 this principal had not used before');
    expect(ctx.explanation).not.toMatch(/Looks like/);
  });

  it('leads a sensitive action inside a real deployment with what it does', async () => {
    const calls = [...history, ...burst(TF)];
    calls[calls.length - 1] = {
      ...calls[calls.length - 1]!,
      action: 'cloudtrail.amazonaws.com:StopLogging',
    } as never;
    const ctx = await lastContext(calls, true);
    expect(ctx.reason).toBe('sensitive-action');
    expect(ctx.explanation).toMatch(
      /^Stops CloudTrail logging in us-east-1\. .*all from Terraform, which it had used before/,
    );
  });
});

describe('Explainer: permission changes', () => {
  const DAY = 86_400_000;
  const ADMIN_UA = 'aws-cli/2.17.0 os/linux';

  async function targetContext(adminIp: string, adminFirstCall = false): Promise<ExplanationContext> {
    const explainer = new Explainer({ store: new InMemoryExplainStore() });
    const seen = observedEvent({
      time: T0 - 10 * DAY,
      principal: 'sso/AdministratorAccess',
      userAgent: ADMIN_UA,
      sourceIPAddress: '203.0.113.5',
    });
    if (!adminFirstCall) {
      await explainer.observe({ event: seen, detection: detectionOf(seen, ['role']), source: 'live' });
    }
    const attach = observedEvent({
      time: T0,
      principal: 'sso/AdministratorAccess',
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachRolePolicy',
      action: 'iam.amazonaws.com:AttachRolePolicy',
      userAgent: ADMIN_UA,
      sourceIPAddress: adminIp,
      record: {
        requestParameters: {
          roleName: 'payments-api',
          policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        },
      },
    });
    const firstSighting = adminFirstCall ? T0 : T0 - 10 * DAY;
    await explainer.observe({
      event: attach,
      detection: detectionOf(attach, [], { firstSighting }),
      source: 'live',
    });
    const use = observedEvent({
      time: T0 + 60_000,
      eventName: 'DeleteObject',
      action: 's3.amazonaws.com:DeleteObject',
    });
    const detection = detectionOf(use, ['role']);
    await explainer.observe({ event: use, detection, source: 'live' });
    return (await explainer.context({ event: use, detection, source: 'live' })) as ExplanationContext;
  }

  it('calls a change by another principal in its usual context the likely reason', async () => {
    const ctx = await targetContext('203.0.113.9');
    expect(ctx.reason).toBe('iam-change');
    expect(ctx.explanation).toMatch(/likely the reason for this new action/);
  });

  it('calls a change from a network new to its actor a possible privilege escalation', async () => {
    const ctx = await targetContext('198.51.100.20');
    expect(ctx.reason).toBe('privilege-escalation');
    expect(ctx.facts.iamChange?.actorNewContext).toBe('network 198.51.100.0/24');
  });

  it('calls a change by an actor never seen before a possible privilege escalation', async () => {
    const ctx = await targetContext('203.0.113.9', true);
    expect(ctx.reason).toBe('privilege-escalation');
    expect(ctx.facts.iamChange?.actorNewContext).toBe('its first call ever');
  });
});

describe('describeAlert()', () => {
  const base = {
    region: 'eu-west-1',
    denied: false,
    firstSuccessAfterFailure: false,
    deniedBefore: false,
    actionCount: 12,
    knownSince: T0 - 90 * 86_400_000,
    otherPrincipals: 42,
    burstActions: 1,
    burstDenied: 0,
    burstWindowMinutes: 10,
    burstMinActions: 3,
    newRegion: false,
  };
  const change = {
    target: 'role/x',
    eventName: 'AttachRolePolicy',
    eventId: 'i',
    time: T0,
    eventTime: '2025-01-06T12:00:00Z',
    actor: 'sso/AdministratorAccess',
    actorSessionName: 'alice@example.com',
  };

  it('prefers denied over every other reason', () => {
    const ctx = describeAlert({
      ...base,
      denied: true,
      errorCode: 'AccessDenied',
      iamChange: change,
      burstActions: 5,
      newRegion: true,
    });
    expect(ctx.reason).toBe('denied');
    expect(ctx.explanation).toMatch(/^Call denied \(AccessDenied\): reconnaissance or a misconfiguration/);
  });

  const deployment = { burstActions: 5, deploymentTool: 'Terraform' };

  it('reads a burst as a deployment only with a deployment tool in its known context', () => {
    const ctx = describeAlert({ ...base, ...deployment, newRegion: true });
    expect(ctx.reason).toBe('deployment');
    expect(ctx.explanation).toMatch(/^Looks like a new deployment: 5 new actions .* all from Terraform/);
    expect(ctx.facts.burst?.deploymentTool).toBe('Terraform');
    const plain = describeAlert({ ...base, burstActions: 5 });
    expect(plain.reason).toBe('new-action');
    expect(plain.explanation).toMatch(
      /^5 new actions by this principal within 10 minutes, not from a deployment tool/,
    );
    expect(plain.explanation).not.toMatch(/deployment:/);
  });

  it('puts new context ahead of a burst, an IAM change and a new region', () => {
    const ctx = describeAlert({
      ...base,
      ...deployment,
      iamChange: change,
      newRegion: true,
      unusualNetwork: '198.51.100.0/24',
    });
    expect(ctx.reason).toBe('unusual-context');
    expect(ctx.explanation).toMatch(
      /^Unusual context: from a network 198\.51\.100\.0\/24 this principal had not used before/,
    );
    // The benign readings remain, as facts after the lead.
    expect(ctx.explanation).toContain(
      'permissions granted at 2025-01-06T12:00:00Z with AttachRolePolicy by sso/AdministratorAccess',
    );
    expect(ctx.explanation).not.toMatch(/likely the reason|Looks like/);
  });

  it('prefers an IAM change by another principal in its usual context over a deployment and a new region', () => {
    const ctx = describeAlert({ ...base, ...deployment, iamChange: change, newRegion: true });
    expect(ctx.reason).toBe('iam-change');
    expect(ctx.explanation).toMatch(/likely the reason for this new action/);
    expect(describeAlert({ ...base, newRegion: true }).reason).toBe('new-region');
  });

  it('calls a self-granted permission a possible privilege escalation', () => {
    const ctx = describeAlert({ ...base, ...deployment, iamChange: { ...change, actor: 'role/x' } });
    expect(ctx.reason).toBe('privilege-escalation');
    expect(ctx.explanation).toMatch(
      /^Possible privilege escalation: this principal granted itself new permissions/,
    );
    expect(ctx.explanation).not.toMatch(/likely the reason/);
    expect(ctx.facts.iamChange?.self).toBe(true);
  });

  it('calls a permission change from a context new to its actor a possible privilege escalation', () => {
    const ctx = describeAlert({
      ...base,
      iamChange: { ...change, actorNewContext: 'network 203.0.113.0/24' },
    });
    expect(ctx.reason).toBe('privilege-escalation');
    expect(ctx.explanation).toMatch(
      /by sso\/AdministratorAccess \(alice@example.com\) from network 203\.0\.113\.0\/24/,
    );
    expect(ctx.facts.iamChange?.actorNewContext).toBe('network 203.0.113.0/24');
  });

  it('leads a sensitive action with what it does, never with a benign reading', () => {
    const effect = 'Stops CloudTrail logging in eu-west-1';
    const ctx = describeAlert({ ...base, ...deployment, iamChange: change, effect });
    expect(ctx.reason).toBe('sensitive-action');
    expect(ctx.explanation.startsWith(`${effect}. `)).toBe(true);
    expect(ctx.explanation).toContain(
      '5 new actions by this principal within 10 minutes, all from Terraform',
    );
    expect(ctx.explanation).not.toMatch(/likely the reason|Looks like/);
    expect(ctx.facts.effect).toBe(effect);
    const denied = describeAlert({ ...base, effect, denied: true, errorCode: 'AccessDenied' });
    expect(denied.reason).toBe('denied');
    expect(denied.explanation.startsWith(`${effect}. Call denied`)).toBe(true);
  });

  it('names an unrecognised user agent and quotes it', () => {
    const ctx = describeAlert({
      ...base,
      unusualUserAgent: 'other:stratus-red-team',
      unrecognisedUserAgent: 'stratus-red-team_ea78',
    });
    expect(ctx.reason).toBe('unusual-context');
    expect(ctx.explanation).toMatch(
      /^Unusual context: from an unrecognised user agent `stratus-red-team_ea78` this principal had not used before/,
    );
    expect(ctx.facts.unrecognisedUserAgent).toBe('stratus-red-team_ea78');
  });

  it('says how common the action is', () => {
    expect(describeAlert(base).explanation).toContain('42 other principals do this');
    expect(describeAlert({ ...base, otherPrincipals: 0 }).explanation).toContain(
      'first in the whole organization',
    );
  });

  it('bounds every string', () => {
    const long = 'x'.repeat(5000);
    const ctx = describeAlert({
      ...base,
      iamChange: { ...change, actor: long, actorSessionName: long, policy: long },
      sessionName: long,
    });
    expect(ctx.explanation.length).toBeLessThanOrEqual(400);
    expect(JSON.stringify(ctx).length).toBeLessThan(2000);
  });
});
