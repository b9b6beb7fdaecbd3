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
    });
  });

  it('defaults the silence threshold to 60 minutes', () => {
    expect(
      readWatchdogEnvironment({ FIRSTSEEN_BASELINE_TABLE: 'b', FIRSTSEEN_ALERTS_TABLE: 'a' }).silenceMs,
    ).toBe(3_600_000);
  });

  it('names every missing or bad variable', () => {
    expect(() => readWatchdogEnvironment({ FIRSTSEEN_SILENCE_MINUTES: 'soon' })).toThrow(
      /FIRSTSEEN_BASELINE_TABLE.*FIRSTSEEN_ALERTS_TABLE.*FIRSTSEEN_SILENCE_MINUTES/,
    );
  });
});
