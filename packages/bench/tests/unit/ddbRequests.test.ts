import {
  classifyRecord,
  DetectionEngine,
  decodeOptionsFromConfig,
  InMemoryBaselineStore,
  parseConfig,
} from '@firstseen/core';
import { CountingBaselineStore } from '../../src/CountingBaselineStore';
import { measureDdbRequests } from '../../src/ddbRequests';
import { generatedRecords, QUICK_WORKLOAD, type WorkloadSpec, workloadValues } from '../../src/workload';

const SPEC: WorkloadSpec = { ...QUICK_WORKLOAD, days: 1, eventsPerDay: 2_000 };

describe('measureDdbRequests()', () => {
  it('reports firstseen with explanations on as its engine requests plus the explainer store requests', async () => {
    const config = parseConfig({});

    const result = await measureDdbRequests(workloadValues(SPEC), config);

    const { firstseen, explain } = result.totals;
    expect(explain.total).toBeGreaterThan(0);
    expect(result.per1kEvents.firstseenExplain).toBeCloseTo(
      ((firstseen.total + explain.total) / result.events) * 1000,
      9,
    );
    expect(result.per1kEvents.firstseenExplain).toBeGreaterThan(result.per1kEvents.firstseen);
  });

  it('counts the same firstseen engine requests as an engine without explanations', async () => {
    const config = parseConfig({});
    const plain = new CountingBaselineStore(new InMemoryBaselineStore());
    const engine = new DetectionEngine({ store: plain, config });
    const decode = decodeOptionsFromConfig(config);
    for (const record of generatedRecords(SPEC)) {
      const d = classifyRecord(record, decode);
      if (d.outcome === 'observed') await engine.detect(d.event, 'live');
    }

    const result = await measureDdbRequests(workloadValues(SPEC), config);

    expect(result.totals.firstseen.total).toBe(plain.requests);
  });
});
