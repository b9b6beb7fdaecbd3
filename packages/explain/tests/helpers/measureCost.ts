import { DetectionEngine, decodeRecord, defaultConfig, InMemoryBaselineStore } from '@firstseen/core';
import { createOrganization, generateEvents } from '@firstseen/generator';
import { Explainer } from '../../src/Explainer';
import { InMemoryExplainStore } from '../../src/InMemoryExplainStore';

export interface CostFigures {
  events: number;
  alerts: number;
  engineRequests: number;
  explainRequests: number;
  /** Explain-store requests by method. */
  explainByMethod: Record<string, number>;
}

/**
 * Runs the generated organization through one engine (as one detector process would see it)
 * with or without explanations, counting store requests: each BaselineStore and ExplainStore
 * call is one DynamoDB request in the DynamoDB implementations.
 */
export async function measureCost(options: {
  seed: string;
  start: number;
  days: number;
  eventsPerDay: number;
  explain: boolean;
}): Promise<CostFigures> {
  const org = createOrganization({ seed: options.seed });
  const store = new InMemoryExplainStore();
  const explainer = options.explain ? new Explainer({ store }) : undefined;
  const engine = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: defaultConfig(),
    ...(explainer && { observer: explainer.observe, context: explainer.context }),
  });
  const figures: CostFigures = {
    events: 0,
    alerts: 0,
    engineRequests: 0,
    explainRequests: 0,
    explainByMethod: store.counts,
  };
  const records = generateEvents(org, {
    start: options.start,
    days: options.days,
    eventsPerDay: options.eventsPerDay,
  });
  for (const record of records) {
    for (const d of decodeRecord(Buffer.from(JSON.stringify(record)))) {
      if (d.outcome !== 'observed') continue;
      figures.events++;
      const detection = await engine.detect(d.event);
      figures.engineRequests += detection.storeRequests;
      if (detection.alert) figures.alerts++;
    }
  }
  figures.explainRequests = explainer?.requests ?? 0;
  return figures;
}
