import {
  type Alert,
  DetectionEngine,
  decodeRecord,
  InMemoryBaselineStore,
  parseConfig,
} from '@firstseen/core';
import {
  type AnomalyPlan,
  createOrganization,
  GeneratorOptionsError,
  generateEvents,
  planAnomalies,
  splitPeriod,
} from '../../src';
import { ATTACK_SCENARIOS, SCENARIOS } from '../../src/types';

const org = createOrganization({ seed: 'truth' });
// 100 days of history: long enough for a 90-day window return and past the 14-day burn-in.
const period = splitPeriod({ liveStart: Date.UTC(2024, 4, 1, 9), historyDays: 100, liveMinutes: 60 });

describe('planAnomalies()', () => {
  const plan = planAnomalies(org, period);

  it('plans every scenario, each alerting event inside the live period', () => {
    expect(plan.skipped).toEqual([]);
    expect(plan.truth.map((t) => t.scenario)).toEqual([...SCENARIOS]);
    for (const t of plan.truth) {
      expect(t.eventIds.length).toBeGreaterThan(0);
      for (const e of t.events) {
        const time = Date.parse(e.eventTime);
        expect(time).toBeGreaterThanOrEqual(period.liveStart);
        expect(time).toBeLessThan(period.end);
      }
    }
  });

  it('is deterministic for an organization and period', () => {
    expect(JSON.stringify(planAnomalies(createOrganization({ seed: 'truth' }), period))).toBe(
      JSON.stringify(plan),
    );
  });

  it('alerts every injected anomaly at exactly its expected levels, and nothing for its related events', async () => {
    await expectLevels(plan);
  });

  it('plans the attack scenarios on request, labelled, each at its expected levels', async () => {
    const attacks = planAnomalies(org, { ...period, scenarios: ATTACK_SCENARIOS });
    expect(attacks.truth.map((t) => t.scenario)).toEqual([...ATTACK_SCENARIOS]);
    const events = attacks.truth.flatMap((t) => t.events);
    expect(events.every((e) => e.malicious !== undefined)).toBe(true);
    expect(events.filter((e) => e.malicious).map((e) => e.action)).toContain(
      'cloudtrail.amazonaws.com:StopLogging',
    );
    expect(events.filter((e) => e.malicious === false).length).toBeGreaterThanOrEqual(7);
    await expectLevels(attacks);
  });

  async function expectLevels(plan: AnomalyPlan): Promise<void> {
    const engine = new DetectionEngine({ store: new InMemoryBaselineStore(), config: parseConfig({}) });
    const alerts = new Map<string, Alert>();
    for (const r of generateEvents(org, {
      start: period.start,
      end: period.end,
      eventsPerDay: 60,
      anomalies: plan,
    })) {
      const [d] = decodeRecord(JSON.stringify(r));
      if (d?.outcome !== 'observed') continue;
      const detection = await engine.detect(d.event, 'live');
      if (detection.alert) alerts.set(detection.alert.eventId, detection.alert);
    }
    for (const t of plan.truth) {
      for (const e of t.events) {
        const alert = alerts.get(e.eventId);
        expect({ scenario: t.scenario, action: e.action, levels: alert?.levels }).toEqual({
          scenario: t.scenario,
          action: e.action,
          levels: e.expectedLevels,
        });
        expect(alert!.severity).toBe(e.expectedSeverity);
        expect(alert!.principal).toBe(t.principal);
        expect(alert!.firstSuccessAfterFailure ?? false).toBe(e.firstSuccessAfterFailure ?? false);
      }
      for (const id of t.relatedEventIds) expect(alerts.has(id)).toBe(false);
    }
  }

  it('leaves out a window return that a short history cannot hold, unless it is asked for', () => {
    const short = splitPeriod({ liveStart: Date.UTC(2024, 4, 1), historyDays: 20 });
    const all = planAnomalies(org, short);
    expect(all.skipped.map((s) => s.scenario)).toEqual(['window-return']);
    expect(() => planAnomalies(org, { ...short, scenarios: ['window-return'] })).toThrow(
      GeneratorOptionsError,
    );
  });

  it('rejects an unknown scenario and a live period under ten minutes', () => {
    expect(() => planAnomalies(org, { ...period, scenarios: ['nope' as never] })).toThrow(
      /unknown anomaly scenario/,
    );
    expect(() => planAnomalies(org, { ...period, end: period.liveStart + 60_000 })).toThrow(/10 minutes/);
  });
});

describe('planAnomalies() with the resource level', () => {
  const plan = planAnomalies(org, { ...period, resourceLevel: true });

  it('adds the exfiltration scenario to all: a known GetObject on a bucket the role never touched', () => {
    expect(plan.skipped).toEqual([]);
    expect(plan.truth.map((t) => t.scenario)).toEqual([...SCENARIOS, 'exfiltration']);
    const exfil = plan.truth.find((t) => t.scenario === 'exfiltration')!;
    expect(exfil.events.map((e) => [e.action, e.expectedLevels, e.expectedSeverity])).toEqual([
      ['s3.amazonaws.com:GetObject', ['resource'], 'low'],
    ]);
    expect(plan.assumes.resource).toBe(true);
  });

  it('refuses the exfiltration scenario without the resource level', () => {
    expect(() => planAnomalies(org, { ...period, scenarios: ['exfiltration'] })).toThrow(
      GeneratorOptionsError,
    );
    expect(planAnomalies(org, period).truth.map((t) => t.scenario)).toEqual([...SCENARIOS]);
  });

  it('alerts every injected anomaly at exactly its expected levels with levels.resource on', async () => {
    const engine = new DetectionEngine({
      store: new InMemoryBaselineStore(),
      config: parseConfig({ levels: { resource: true } }),
    });
    const alerts = new Map<string, Alert>();
    for (const r of generateEvents(org, {
      start: period.start,
      end: period.end,
      eventsPerDay: 60,
      anomalies: plan,
    })) {
      const [d] = decodeRecord(JSON.stringify(r));
      if (d?.outcome !== 'observed') continue;
      const detection = await engine.detect(d.event, 'live');
      if (detection.alert) alerts.set(detection.alert.eventId, detection.alert);
    }
    for (const t of plan.truth) {
      for (const e of t.events) {
        expect({ scenario: t.scenario, levels: alerts.get(e.eventId)?.levels }).toEqual({
          scenario: t.scenario,
          levels: e.expectedLevels,
        });
      }
      for (const id of t.relatedEventIds) expect(alerts.has(id)).toBe(false);
    }
    const exfil = plan.truth.find((t) => t.scenario === 'exfiltration')!;
    expect(alerts.get(exfil.eventIds[0]!)?.resource).toMatch(/^s3:finance-exports-\d{12}$/);
  });
});
