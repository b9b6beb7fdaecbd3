describe('trail-reader handler module', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('fails at cold start naming a missing environment variable', () => {
    process.env = {
      ...saved,
      FIRSTSEEN_BASELINE_TABLE: 'fs-baseline',
      FIRSTSEEN_QUARANTINE_BUCKET: 'fs-quarantine',
    };
    delete process.env.FIRSTSEEN_ALERTS_TABLE;

    expect(() => jest.isolateModules(() => require('../../src/index'))).toThrow(/FIRSTSEEN_ALERTS_TABLE/);
  });

  it('exports a handler when the environment is complete', () => {
    process.env = {
      ...saved,
      AWS_REGION: 'us-east-1',
      FIRSTSEEN_BASELINE_TABLE: 'fs-baseline',
      FIRSTSEEN_ALERTS_TABLE: 'fs-alerts',
      FIRSTSEEN_QUARANTINE_BUCKET: 'fs-quarantine',
      FIRSTSEEN_LOG_LEVEL: 'silent',
    };
    let mod: { handler?: unknown } = {};
    jest.isolateModules(() => {
      mod = require('../../src/index') as { handler?: unknown };
    });
    expect(typeof mod.handler).toBe('function');
  });
});
