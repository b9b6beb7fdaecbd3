import { DAYS_PER_MONTH, estimateMonthlyCost, PRICES } from '../../src';

const BILLION = 1e9;

describe('estimateMonthlyCost()', () => {
  it('adds up its lines, names every service and the largest one', () => {
    const e = estimateMonthlyCost({ eventsPerDay: BILLION });
    const lines = Object.values(e.monthlyUsd.byService);
    expect(Object.keys(e.monthlyUsd.byService).sort()).toEqual(
      [
        'cloudtrail',
        'cloudwatchLogs',
        'dynamodb',
        'eventbridge',
        'kinesis',
        'kms',
        'lambda',
        's3',
        'secretsManager',
        'sqs',
      ].sort(),
    );
    expect(e.monthlyUsd.total).toBeCloseTo(
      lines.reduce((a, b) => a + b, 0),
      6,
    );
    expect(e.monthlyUsd.byService[e.dominant]).toBe(Math.max(...lines));
  });

  it('bills every event as a cross-account delivery when the forwarding rules filter nothing', () => {
    const e = estimateMonthlyCost({ eventsPerDay: BILLION, sourceFilter: false });
    const expected = ((BILLION * DAYS_PER_MONTH) / 1e6) * PRICES.eventBridge.usdPerMillionCrossAccountEvents;
    expect(e.monthlyUsd.byService.eventbridge).toBeCloseTo(expected, 6);
    expect(e.dominant).toBe('eventbridge');
  });

  it('forwards only what the detector keeps when the rules filter at the source', () => {
    const all = estimateMonthlyCost({ eventsPerDay: BILLION, ignoredShare: 0.2, sourceFilter: false });
    const filtered = estimateMonthlyCost({ eventsPerDay: BILLION, ignoredShare: 0.2 });
    const writeOnly = estimateMonthlyCost({
      eventsPerDay: BILLION,
      ignoredShare: 0.2,
      coverage: 'write-only',
      readOnlyShare: 0.75,
    });
    expect(filtered.monthlyUsd.byService.eventbridge / all.monthlyUsd.byService.eventbridge).toBeCloseTo(
      0.8,
      6,
    );
    expect(writeOnly.monthlyUsd.byService.eventbridge / all.monthlyUsd.byService.eventbridge).toBeCloseTo(
      0.2,
      6,
    );
    expect(writeOnly.monthlyUsd.total).toBeLessThan(filtered.monthlyUsd.total);
  });

  it('has no EventBridge line and only the idle stream on the trail feed, and both lines plus the reader on both', () => {
    const eb = estimateMonthlyCost({ eventsPerDay: BILLION, feed: 'eventbridge' });
    const trail = estimateMonthlyCost({ eventsPerDay: BILLION, feed: 'trail' });
    const both = estimateMonthlyCost({ eventsPerDay: BILLION, feed: 'both' });
    expect(trail.monthlyUsd.byService.eventbridge).toBe(0);
    // The deployed stack keeps its stream: on-demand stream-hours, no data.
    expect(trail.monthlyUsd.byService.kinesis).toBeCloseTo(30.4 * 24 * 0.04, 0);
    expect(trail.volumes.shards).toBe(0);
    expect(trail.monthlyUsd.byService.s3).toBeGreaterThan(0);
    expect(trail.monthlyUsd.byService.sqs).toBeGreaterThan(0);
    expect(eb.monthlyUsd.byService.s3).toBe(0);
    expect(both.monthlyUsd.total).toBeGreaterThan(eb.monthlyUsd.total);
    expect(trail.monthlyUsd.total).toBeLessThan(eb.monthlyUsd.total / 10);
  });

  it('bills provisioned Kinesis by shard-hours sized for twice the average rate', () => {
    const e = estimateMonthlyCost({ eventsPerDay: BILLION, kinesisMode: 'provisioned', sourceFilter: false });
    // 1e9 events a day of 2 KB at twice the average: about 46 MB/s, so 45 shards of 1 MB/s.
    expect(e.volumes.shards).toBe(Math.ceil(((BILLION / 86_400) * 2 * 2048) / (1024 * 1024)));
    expect(e.monthlyUsd.byService.kinesis).toBeGreaterThan(e.volumes.shards * 24 * DAYS_PER_MONTH * 0.015);
  });

  it('grows Lambda with batches, not with a per-record log line', () => {
    const small = estimateMonthlyCost({ eventsPerDay: 1e7 });
    const large = estimateMonthlyCost({ eventsPerDay: 1e9 });
    expect(large.volumes.detectorInvocations / small.volumes.detectorInvocations).toBeLessThan(101);
    expect(large.volumes.logGb / small.volumes.logGb).toBeLessThan(100);
  });

  it('refuses a share outside 0..1, naming it', () => {
    expect(() => estimateMonthlyCost({ eventsPerDay: 1, readOnlyShare: 1.5 })).toThrow(/readOnlyShare/);
  });

  describe('S3 data events (the opt-in resource level)', () => {
    it('costs nothing and changes nothing by default', () => {
      const e = estimateMonthlyCost({ eventsPerDay: BILLION });
      expect(e.monthlyUsd.byService.cloudtrail).toBe(0);
      expect(e.s3DataEventsMonthlyUsd).toBe(0);
      expect(estimateMonthlyCost({ eventsPerDay: BILLION, s3DataEventsPerDay: 0 })).toEqual(e);
    });

    it("bills every data event at CloudTrail's price: AWS's example, 2M data events a month, is $2", () => {
      const perDay = 2e6 / DAYS_PER_MONTH;
      const e = estimateMonthlyCost({ eventsPerDay: 1e6, s3DataEventsPerDay: perDay, feed: 'trail' });
      expect(PRICES.cloudTrail.usdPerHundredThousandDataEvents).toBe(0.1);
      expect(e.monthlyUsd.byService.cloudtrail).toBeCloseTo(2, 9);
      expect(e.volumes.s3DataEventsPerMonth).toBeCloseTo(2e6, 3);
    });

    it('sends them through the feed: cross-account delivery and Kinesis with eventbridge, neither with trail', () => {
      const profile = { eventsPerDay: 1e8, s3DataEventsPerDay: 1e8 };
      const bus = estimateMonthlyCost({ ...profile, feed: 'eventbridge' });
      const trail = estimateMonthlyCost({ ...profile, feed: 'trail' });
      const busWithout = estimateMonthlyCost({ eventsPerDay: 1e8, feed: 'eventbridge' });
      expect(bus.monthlyUsd.byService.eventbridge).toBeCloseTo(
        2 * busWithout.monthlyUsd.byService.eventbridge,
        6,
      );
      expect(bus.s3DataEventsMonthlyUsd).toBeCloseTo(bus.monthlyUsd.total - busWithout.monthlyUsd.total, 6);
      expect(trail.monthlyUsd.byService.eventbridge).toBe(0);
      expect(trail.s3DataEventsMonthlyUsd).toBeLessThan(bus.s3DataEventsMonthlyUsd / 1.5);
      expect(trail.s3DataEventsMonthlyUsd).toBeGreaterThan(trail.monthlyUsd.byService.cloudtrail);
    });
  });
});
