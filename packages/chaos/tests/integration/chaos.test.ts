import { runChaos } from '../../src';
import type { ChaosReport } from '../../src/types';

// A shorter seeded scenario of `npm run chaos`: half an hour of generated activity published over
// 10 s, with every fault except the DynamoDB Local restart (a Java cold start costs 45 s or more
// of CPU on a 2-core machine; `npm run chaos` does it).
describe('runChaos()', () => {
  let report: ChaosReport;

  beforeAll(async () => {
    report = await runChaos({
      seed: 3,
      hours: 0.5,
      publishMs: 10_000,
      receiversDownMs: 3_000,
      rateLimitedMs: 2_000,
      detectorCrashes: 3,
      dispatcherCrashes: 2,
      restartDynamoDb: false,
      drainTimeoutMs: 240_000,
    });
  }, 600_000);

  it('expects at least 100 alerts from the reference engine and injects every kind of fault', () => {
    expect(report.expectedAlerts).toBeGreaterThanOrEqual(100);
    expect(report.duplicatesInjected).toBeGreaterThan(0);
    expect(report.poisonInjected).toBeGreaterThan(0);
    expect(report.crashesInjected).toBeGreaterThan(0);
  });

  it('loses no alert: every expected alert reaches Slack, and PagerDuty when routed there', () => {
    expect(report.lostAlertIds).toEqual([]);
    expect(report.deliveredSlack).toBe(report.expectedSlack);
    expect(report.deliveredPagerDuty).toBe(report.expectedPagerDuty);
  });

  it('opens no duplicate PagerDuty incident', () => {
    expect(report.duplicatePages).toBe(0);
  });

  it('quarantines every distinct poison record and no valid one', () => {
    expect(report.quarantined).toBe(report.poisonInjected);
    expect(report.quarantinedValid).toBe(0);
  });

  // This failed in about one run in four until the chaos tables were created without TTL:
  // DynamoDB Local's sweeper deleted keys of the 2024-dated events mid-run (see startChaosStack).
  it('writes exactly the reference engine alerts, with the same levels', () => {
    expect(report.mismatches).toEqual([]);
  });
});
