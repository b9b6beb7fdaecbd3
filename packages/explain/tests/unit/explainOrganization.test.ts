import type { GroundTruthEntry } from '@firstseen/generator';
import { type OrganizationRun, runOrganization } from '../helpers/runOrganization';

let run: OrganizationRun;

beforeAll(async () => {
  run = await runOrganization({
    seed: 'explain-scenarios',
    scenarios: ['deployment-burst', 'iam-change-then-new-action', 'recon-burst', 'new-action'],
  });
});

function truth(scenario: GroundTruthEntry['scenario']): GroundTruthEntry {
  const t = run.plan.truth.find((x) => x.scenario === scenario);
  if (!t) throw new Error(`no ${scenario} in the plan`);
  return t;
}

function contextOf(eventId: string) {
  const alert = run.alerts.get(eventId);
  if (!alert) throw new Error(`no alert for ${eventId}`);
  return alert.context;
}

describe('explanations on the generated organization', () => {
  it('explains a deployment burst as a new deployment once several new actions arrived', () => {
    const t = truth('deployment-burst');
    expect(t.eventIds.length).toBeGreaterThanOrEqual(3);
    const reasons = t.eventIds.map((id) => contextOf(id).reason);
    // The first new action cannot know the rest are coming; from the third on it is a burst.
    expect(reasons[0]).not.toBe('deployment');
    for (const id of t.eventIds.slice(2)) {
      expect(contextOf(id).reason).toBe('deployment');
      expect(contextOf(id).explanation).toMatch(/new deployment/);
      expect(contextOf(id).facts.burst?.newActions).toBeGreaterThanOrEqual(3);
    }
  });

  it('cites a same-day AttachRolePolicy and its actor for the new action that follows', () => {
    const t = truth('iam-change-then-new-action');
    const ctx = contextOf(t.eventIds[0]!);
    expect(ctx.reason).toBe('iam-change');
    expect(ctx.facts.iamChange).toMatchObject({
      eventName: 'AttachRolePolicy',
      by: 'sso/AdministratorAccess',
    });
    expect(ctx.facts.iamChange?.policy).toBe('arn:aws:iam::aws:policy/AmazonSQSFullAccess');
    expect(ctx.facts.iamChange?.sessionName).toMatch(/@/);
    expect(ctx.explanation).toContain('New permissions granted at');
    expect(ctx.explanation).toContain('sso/AdministratorAccess');
    expect(ctx.explanation).toContain(ctx.facts.iamChange!.sessionName!);
  });

  it('flags a stolen-credential recon burst as denied calls from an unfamiliar context', () => {
    const t = truth('recon-burst');
    const denied = t.events.filter((e) => e.errorCode !== undefined);
    expect(denied.length).toBeGreaterThanOrEqual(8);
    for (const e of denied) {
      const ctx = contextOf(e.eventId);
      expect(ctx.reason).toBe('denied');
      expect(ctx.explanation).toMatch(/denied/);
      expect(ctx.facts.denied?.errorCode).toBe(e.errorCode);
      expect(ctx.facts.unusualNetwork ?? ctx.facts.unusualUserAgent).toBeDefined();
      expect(ctx.explanation).toMatch(/had not used before/);
    }
    const last = denied[denied.length - 1]!;
    expect(contextOf(last.eventId).facts.burst?.denied).toBeGreaterThanOrEqual(3);
    const success = t.events.find((e) => e.firstSuccessAfterFailure);
    expect(success).toBeDefined();
    const ctx = contextOf(success!.eventId);
    expect(ctx.reason).toBe('first-success-after-denied');
    expect(ctx.explanation).toMatch(/First success after denied attempts/);
  });

  it('explains a lone new action with its prevalence', () => {
    const t = truth('new-action');
    const ctx = contextOf(t.eventIds[0]!);
    expect(['new-action', 'unusual-context']).toContain(ctx.reason);
    expect(ctx.explanation).toMatch(/first in the whole organization|other principals? do this/);
  });

  it('counts other principals doing the action exactly, for every alert', () => {
    expect(run.alerts.size).toBeGreaterThan(10);
    for (const [id, alert] of run.alerts) {
      const expected = run.independent.get(id)!;
      expect({ id, others: alert.context.facts.prevalence.otherPrincipals }).toEqual({
        id,
        others: expected.otherPrincipals,
      });
      expect(alert.context.facts.prevalence.firstInOrganization).toBe(expected.otherPrincipals === 0);
      expect({ id, actions: alert.context.facts.baseline.actions }).toEqual({
        id,
        actions: expected.principalActions,
      });
    }
  });

  it('names who acted and keeps every explanation short', () => {
    for (const alert of run.alerts.values()) {
      expect(alert.context.explanation.length).toBeLessThanOrEqual(400);
      expect(alert.context.facts.who.sessionName).toBe(alert.sessionName);
      expect(alert.context.facts.baseline.knownSince).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });
});
