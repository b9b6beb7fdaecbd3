import type { Config } from '@firstseen/core';
import {
  type AnomalyPlan,
  createOrganization,
  type Organization,
  type Period,
  planAnomalies,
  splitPeriod,
} from '@firstseen/generator';
import { demoScenarios } from '../config';
import type { DemoContext } from '../context';

export interface Traffic {
  org: Organization;
  period: Period;
  /** The injected anomalies; their setup events fall in the history. */
  plan: AnomalyPlan;
}

/** The organization, its history and the live period, with one plan of injected anomalies. */
export function planTraffic(ctx: DemoContext, config: Config): Traffic {
  const org = createOrganization({ seed: ctx.options.seed ?? 'firstseen-demo' });
  const period = splitPeriod({
    historyDays: ctx.options.historyDays ?? 120,
    liveMinutes: ctx.options.liveMinutes ?? 120,
    liveStart: ctx.options.liveStart ?? Date.now(),
  });
  const plan = planAnomalies(org, {
    start: period.start,
    liveStart: period.liveStart,
    end: period.end,
    scenarios: demoScenarios(config),
    resourceLevel: config.levels.resource,
  });
  return { org, period, plan };
}
