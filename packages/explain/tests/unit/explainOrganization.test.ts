import { DEFAULT_SENSITIVE_ACTIONS } from '@firstseen/core';
import type { GroundTruthEntry } from '@firstseen/generator';
import { BENIGN_REASONS, type ExplanationReason } from '../../src/types';
import { type OrganizationRun, runOrganization } from '../helpers/runOrganization';

/** Reasons that lean to risk: what an attack's alert must lead with (or a sensitive action's effect). */
const RISK_REASONS: readonly ExplanationReason[] = [
  'denied',
  'first-success-after-denied',
  'privilege-escalation',
  'unusual-context',
  'sensitive-action',
];

let run: OrganizationRun;

beforeAll(async () => {
  run = await runOrganization({
    seed: 'explain-scenarios',
    scenarios: [
      'deployment-burst',
      'iam-change-then-new-action',
      'recon-burst',
      'new-action',
      'stop-logging',
      'tool-after-deployment',
      'stop-logging-in-deployment',
      'self-granted-policy',
    ],
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
  it('explains a Terraform deployment burst as a new deployment once several new actions arrived', () => {
    const t = truth('deployment-burst');
    expect(t.eventIds.length).toBeGreaterThanOrEqual(3);
    const reasons = t.eventIds.map((id) => contextOf(id).reason);
    // The first new action cannot know the rest are coming; from the third on it is a burst.
    expect(reasons[0]).not.toBe('deployment');
    for (const id of t.eventIds.slice(2)) {
      expect(contextOf(id).reason).toBe('deployment');
      expect(contextOf(id).explanation).toMatch(/^Looks like a new deployment: .* all from Terraform/);
      expect(contextOf(id).facts.burst?.newActions).toBeGreaterThanOrEqual(3);
      expect(contextOf(id).facts.burst?.deploymentTool).toBe('Terraform');
    }
  });

  it('leads every labelled attack with a risk reading, never a benign one', () => {
    const attacks = run.plan.truth.flatMap((t) =>
      t.events.filter((e) => e.malicious === true).map((e) => ({ ...e, principal: t.principal })),
    );
    expect(attacks.length).toBeGreaterThanOrEqual(15);
    for (const e of attacks) {
      const ctx = contextOf(e.eventId);
      expect({ action: e.action, risk: RISK_REASONS.includes(ctx.reason), ctx }).toMatchObject({
        risk: true,
      });
      expect(BENIGN_REASONS).not.toContain(ctx.reason);
      expect(ctx.explanation).not.toMatch(/Looks like a new deployment|likely the reason/);
      // A sensitive action or a root principal leads with its effect (an offensive user agent
      // also rates high, but has no effect sentence).
      if (DEFAULT_SENSITIVE_ACTIONS.includes(e.action) || e.principal.startsWith('root/'))
        expect(ctx.explanation.startsWith(`${ctx.facts.effect}. `)).toBe(true);
    }
  });

  it('still reads the real deployments around the attacks as deployments', () => {
    for (const scenario of ['tool-after-deployment', 'stop-logging-in-deployment'] as const) {
      const benign = truth(scenario).events.filter((e) => e.malicious === false);
      // The third call of a burst on is a deployment (the StopLogging counts in the burst).
      const late = benign.slice(2);
      expect(late.length).toBeGreaterThan(0);
      for (const e of late)
        expect({ scenario, reason: contextOf(e.eventId).reason }).toEqual({ scenario, reason: 'deployment' });
    }
  });

  it('names the attack tool after a real CDK deployment as an unrecognised user agent', () => {
    const t = truth('tool-after-deployment');
    const tool = t.events.filter((e) => e.malicious === true);
    for (const e of tool) {
      const ctx = contextOf(e.eventId);
      expect(ctx.reason).toBe('unusual-context');
      expect(ctx.explanation).toMatch(
        // Its CI network is too varied (more than 12 networks) for a new one to say anything.
        /(^|\. )Unusual context: from an unrecognised user agent `stratus-red-team_[0-9a-f-]+` this principal had not used before/,
      );
    }
    const key = contextOf(tool[tool.length - 1]!.eventId);
    expect(key.explanation).toMatch(
      /^Creates an access key for `legacy-ci`: new long-lived credentials\. Unusual context/,
    );
  });

  it('leads StopLogging inside a Terraform deployment with what it does', () => {
    const t = truth('stop-logging-in-deployment');
    const stop = t.events.find((e) => e.action === 'cloudtrail.amazonaws.com:StopLogging')!;
    const ctx = contextOf(stop.eventId);
    expect(ctx.reason).toBe('sensitive-action');
    expect(ctx.explanation).toMatch(
      /^Stops CloudTrail logging in us-east-1 \(trail `arn:aws:cloudtrail:[^`]+`\)\. /,
    );
    // The deployment is there, as a fact.
    expect(ctx.explanation).toMatch(/new actions by this principal within 10 minutes, all from Terraform/);
  });

  it('calls a self-granted policy and its use a possible privilege escalation', () => {
    const t = truth('self-granted-policy');
    const [attach, use] = t.events;
    expect(contextOf(attach!.eventId).explanation).toMatch(
      /^Grants permissions: attaches policy `arn:aws:iam::aws:policy\/AdministratorAccess` to IAM user `backup-operator`\. Possible privilege escalation: this principal grants itself new permissions/,
    );
    const ctx = contextOf(use!.eventId);
    expect(ctx.reason).toBe('privilege-escalation');
    expect(ctx.explanation).toMatch(
      /^Possible privilege escalation: this principal granted itself new permissions .* AttachUserPolicy/,
    );
    expect(ctx.facts.iamChange?.self).toBe(true);
    // Nothing else gave it away: same tool, same network as always.
    expect(ctx.facts.unusualUserAgent ?? ctx.facts.unusualNetwork).toBeUndefined();
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
    expect(ctx.explanation).toMatch(
      /first in the whole organization|1 other principal does this|other principals do this/,
    );
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
