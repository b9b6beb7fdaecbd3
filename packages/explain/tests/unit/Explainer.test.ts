import { describeAlert } from '../../src/describeAlert';
import { Explainer } from '../../src/Explainer';
import { InMemoryExplainStore } from '../../src/InMemoryExplainStore';
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

  it('prefers an IAM change over a burst, a burst over a new region, a new region over an unusual context', () => {
    expect(describeAlert({ ...base, iamChange: change, burstActions: 5 }).reason).toBe('iam-change');
    expect(describeAlert({ ...base, burstActions: 5, newRegion: true }).reason).toBe('deployment');
    expect(describeAlert({ ...base, newRegion: true, unusualNetwork: '198.51.100.0/24' }).reason).toBe(
      'new-region',
    );
    expect(describeAlert({ ...base, unusualNetwork: '198.51.100.0/24' }).reason).toBe('unusual-context');
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
