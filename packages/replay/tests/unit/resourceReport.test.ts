import {
  DAY_MS,
  DetectionEngine,
  InMemoryBaselineStore,
  type ObservedEvent,
  parseConfig,
} from '@firstseen/core';
import { renderReport } from '@firstseen/report';
import { replayReport } from '../../src';
import { countDetection, emptySummary } from '../../src/summary';

// The replay report shows the opt-in `resource` level's alerts per day like the other levels
// (docs/semantics.md "Levels and keys"): real engine decisions, counted, then rendered.

const T0 = Date.parse('2024-05-01T10:00:00Z');

function getObject(id: string, day: number, bucket: string): ObservedEvent {
  const time = T0 + day * DAY_MS;
  return {
    eventId: id,
    eventTime: new Date(time).toISOString(),
    time,
    account: '111122223333',
    region: 'eu-west-1',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    action: 's3.amazonaws.com:GetObject',
    principal: 'role/etl',
    identityType: 'AssumedRole',
    failed: false,
    record: { requestParameters: { bucketName: bucket, key: 'a.csv' } },
  };
}

describe('the replay report with levels.resource on', () => {
  it('counts and draws the resource alerts of each day', async () => {
    const config = parseConfig({ burnInDays: 0, levels: { resource: true } });
    const engine = new DetectionEngine({ store: new InMemoryBaselineStore(), config });
    const summary = emptySummary('simulate', 's3://trail/');
    const events = [
      getObject('e1', 0, 'assets'), // every level: first call of the principal
      getObject('e2', 1, 'payroll'), // a new bucket only
      getObject('e3', 1, 'payroll'), // nothing new
      getObject('e4', 2, 'hr-exports'), // a new bucket only
    ];
    for (const e of events) {
      countDetection(summary, e.principal, e.time, await engine.detect(e), { routing: config.routing });
    }
    summary.firstEventTime = events[0]!.eventTime;
    summary.lastEventTime = events.at(-1)!.eventTime;

    expect(summary.alertsByLevel).toEqual({ account: 1, role: 1, region: 1, window: 0, resource: 3 });
    expect(summary.alertsByDay['2024-05-02']).toEqual({
      total: 1,
      account: 0,
      role: 0,
      region: 0,
      window: 0,
      resource: 1,
    });
    const report = replayReport(summary, config);
    expect(report.levels.perLevel.resource).toBe(3);
    expect(report.levels.bySet).toContainEqual({ levels: ['resource'], alerts: 2 });
    expect(report.levels.bySet.reduce((n, s) => n + s.alerts, 0)).toBe(3);

    const html = renderReport(report);
    expect(html).toContain('<tr><td>resource</td><td>3</td></tr>');
    expect(html).toContain('<tr><td>resource</td><td>2</td></tr>');
  });
});
