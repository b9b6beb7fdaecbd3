/**
 * The recorded CloudTrail corpus as simulate's engine sees it, for the tests that check a
 * parallel replay's event handling (the record cut, the codec between workers) against the
 * events themselves: every level on and no burn-in, so that every first sighting alerts and its
 * evidence and explanations are read.
 */
import {
  type Alert,
  type Config,
  classifyRecord,
  DetectionEngine,
  decodeOptionsFromConfig,
  InMemoryBaselineStore,
  type ObservedEvent,
  parseConfig,
} from '@firstseen/core';
import { Explainer, InMemoryExplainStore } from '@firstseen/explain';
import { corpusObjects } from '@firstseen/test-support';

export const corpusConfig: Config = parseConfig({ burnInDays: 0, levels: { resource: true } });

/** The corpus's observed events, in time order. */
export function observedCorpus(): ObservedEvent[] {
  const options = decodeOptionsFromConfig(corpusConfig);
  const events: ObservedEvent[] = [];
  for (const value of corpusObjects()) {
    const decoded = classifyRecord(value, options);
    if (decoded.outcome === 'observed') events.push(decoded.event);
  }
  return events.sort((a, b) => a.time - b.time || (a.eventId < b.eventId ? -1 : 1));
}

/** Detection and explanations over the events, as simulate runs them; the alerts as JSON. */
export async function alertsOf(events: ObservedEvent[]): Promise<string[]> {
  const explainer = new Explainer({ store: new InMemoryExplainStore() });
  const engine = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: corpusConfig,
    context: explainer.context,
    observer: explainer.observe,
  });
  const alerts: Alert[] = [];
  for (const e of events) {
    const { alert } = await engine.detect(e, 'live');
    if (alert) alerts.push(alert);
  }
  return alerts.map((a) => JSON.stringify(a));
}
