import {
  type Alert,
  type Config,
  DetectionEngine,
  decodeOptionsFromConfig,
  decodeRecord,
  InMemoryBaselineStore,
} from '@firstseen/core';
import type { DetectionTrace } from '../types';
import type { Put } from '../workload/planPuts';
import { traceOf } from './traceOf';

/** The reference: the in-memory engine over the distinct valid events in first-put order. */
export async function referenceAlerts(
  puts: readonly Put[],
  config: Config,
  onDetection?: (entry: DetectionTrace) => void,
): Promise<Map<string, Alert>> {
  const engine = new DetectionEngine({ store: new InMemoryBaselineStore(), config });
  const options = decodeOptionsFromConfig(config);
  const seen = new Set<string>();
  const expected = new Map<string, Alert>();
  for (const put of puts) {
    if (put.poison || put.eventId === undefined || seen.has(put.eventId)) continue;
    seen.add(put.eventId);
    for (const d of decodeRecord(put.data, options)) {
      if (d.outcome !== 'observed') continue;
      const detection = await engine.detect(d.event, 'live');
      onDetection?.(traceOf('reference', d.event, detection.fired));
      if (detection.alert && !expected.has(detection.alert.alertId))
        expected.set(detection.alert.alertId, detection.alert);
    }
  }
  return expected;
}
