/**
 * Loading a Lambda handler module the way Lambda does (a fresh module per cold start) under a
 * given environment, for the handlers' own tests.
 */

/** The environment a function built on the detector's runtime (detector, trail reader) needs. */
export function detectorFunctionEnvironment(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_REGION: 'us-east-1',
    FIRSTSEEN_BASELINE_TABLE: 'fs-baseline',
    FIRSTSEEN_ALERTS_TABLE: 'fs-alerts',
    FIRSTSEEN_QUARANTINE_BUCKET: 'fs-quarantine',
    FIRSTSEEN_LOG_LEVEL: 'silent',
    ...overrides,
  };
}

/** Restores the process environment after each test of the calling file. */
export function restoreEnvironmentAfterEach(): void {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
}

/**
 * Sets `env` as the process environment (a function's configuration, read at cold start and
 * by the runtime it builds later) and requires `modulePath` in an isolated module registry, as
 * a new cold start. A module that throws while loading throws here. Pair with
 * `restoreEnvironmentAfterEach`.
 */
export function coldStart<T>(modulePath: string, env: NodeJS.ProcessEnv): T {
  process.env = env;
  let loaded: T | undefined;
  jest.isolateModules(() => {
    loaded = require(modulePath) as T;
  });
  return loaded as T;
}
