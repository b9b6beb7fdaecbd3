import { readWatchdogEnvironment } from '../../src';

describe('readWatchdogEnvironment()', () => {
  it('reads the tables, the config path and the silence threshold in milliseconds', () => {
    expect(
      readWatchdogEnvironment({
        FIRSTSEEN_BASELINE_TABLE: 'fs-baseline',
        FIRSTSEEN_ALERTS_TABLE: 'fs-alerts',
        FIRSTSEEN_SILENCE_MINUTES: '90',
        FIRSTSEEN_CONFIG_PATH: '/var/task/config.json',
      }),
    ).toEqual({
      baselineTable: 'fs-baseline',
      alertsTable: 'fs-alerts',
      configPath: '/var/task/config.json',
      silenceMs: 5_400_000,
      neverReportedGraceMs: 86_400_000,
      regions: ['us-east-1'],
    });
  });

  it('defaults the silence threshold to 60 minutes', () => {
    expect(
      readWatchdogEnvironment({ FIRSTSEEN_BASELINE_TABLE: 'b', FIRSTSEEN_ALERTS_TABLE: 'a' }).silenceMs,
    ).toBe(3_600_000);
  });

  it('reads the expected regions and the never-reported grace period', () => {
    const env = readWatchdogEnvironment({
      FIRSTSEEN_BASELINE_TABLE: 'b',
      FIRSTSEEN_ALERTS_TABLE: 'a',
      FIRSTSEEN_EXPECTED_REGIONS: 'us-east-1, eu-west-1',
      FIRSTSEEN_NEVER_REPORTED_GRACE_HOURS: '48',
    });
    expect(env.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(env.neverReportedGraceMs).toBe(48 * 3_600_000);
  });

  it('refuses a region list that is not region names', () => {
    expect(() =>
      readWatchdogEnvironment({
        FIRSTSEEN_BASELINE_TABLE: 'b',
        FIRSTSEEN_ALERTS_TABLE: 'a',
        FIRSTSEEN_EXPECTED_REGIONS: 'us-east-1,everywhere',
      }),
    ).toThrow(/FIRSTSEEN_EXPECTED_REGIONS.*everywhere/);
  });

  it('names every missing or bad variable', () => {
    expect(() => readWatchdogEnvironment({ FIRSTSEEN_SILENCE_MINUTES: 'soon' })).toThrow(
      /FIRSTSEEN_BASELINE_TABLE.*FIRSTSEEN_ALERTS_TABLE.*FIRSTSEEN_SILENCE_MINUTES/,
    );
  });
});
