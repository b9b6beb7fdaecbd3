import {
  type Alert,
  DetectionEngine,
  decodeRecord,
  defaultConfig,
  InMemoryBaselineStore,
} from '@firstseen/core';
import {
  type AnomalyPlan,
  createOrganization,
  generateEvents,
  planAnomalies,
  type ScenarioName,
  splitPeriod,
} from '@firstseen/generator';
import { Explainer } from '../../src/Explainer';
import type { ExplainStore } from '../../src/ExplainStore';
import { InMemoryExplainStore } from '../../src/InMemoryExplainStore';
import type { ExplanationContext } from '../../src/types';

/** What an independent count (sharing no code with explain) says about an alert's event. */
export interface IndependentCount {
  /** Other principals that called the action (successfully or not) before this event. */
  otherPrincipals: number;
  /** Distinct actions of the principal, this one included. */
  principalActions: number;
}

export interface OrganizationRun {
  plan: AnomalyPlan;
  alerts: Map<string, Alert & { context: ExplanationContext }>;
  independent: Map<string, IndependentCount>;
  explainer: Explainer;
}

/**
 * The generated organization (history, then a live hour with the scenarios' anomalies) through
 * one engine with explanations on, alerts keyed by eventId, and for each alert an independent
 * count of who already does its action.
 */
export async function runOrganization(options: {
  seed: string;
  scenarios: ScenarioName[];
  historyDays?: number;
  eventsPerDay?: number;
  store?: ExplainStore;
}): Promise<OrganizationRun> {
  const org = createOrganization({ seed: options.seed });
  const period = splitPeriod({
    liveStart: Date.UTC(2024, 4, 1, 9),
    historyDays: options.historyDays ?? 20,
    liveMinutes: 60,
  });
  const plan = planAnomalies(org, { ...period, scenarios: options.scenarios });
  const explainer = new Explainer({ store: options.store ?? new InMemoryExplainStore() });
  const engine = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: defaultConfig(),
    observer: explainer.observe,
    context: explainer.context,
  });
  const doers = new Map<string, Set<string>>();
  const actionsOf = new Map<string, Set<string>>();
  const alerts: OrganizationRun['alerts'] = new Map();
  const independent = new Map<string, IndependentCount>();
  const records = generateEvents(org, {
    start: period.start,
    end: period.end,
    eventsPerDay: options.eventsPerDay ?? 200,
    anomalies: plan,
  });
  for (const record of records) {
    const [d] = decodeRecord(JSON.stringify(record));
    if (d?.outcome !== 'observed') continue;
    const { principal, action } = d.event;
    const set = doers.get(action) ?? new Set<string>();
    doers.set(action, set);
    const mine = actionsOf.get(principal) ?? new Set<string>();
    actionsOf.set(principal, mine);
    const others = set.size - (set.has(principal) ? 1 : 0);
    set.add(principal);
    mine.add(action);
    const detection = await engine.detect(d.event, 'live');
    if (detection.alert) {
      alerts.set(detection.alert.eventId, detection.alert as Alert & { context: ExplanationContext });
      independent.set(detection.alert.eventId, { otherPrincipals: others, principalActions: mine.size });
    }
  }
  return { plan, alerts, independent, explainer };
}
