import { ConfigError } from '@firstseen/core';

export interface WatchdogEnvironment {
  baselineTable: string;
  alertsTable: string;
  /** The validated config file bundled with the function (alert retention comes from it). */
  configPath?: string;
  silenceMs: number;
}

/**
 * Reads the watchdog's environment: FIRSTSEEN_BASELINE_TABLE, FIRSTSEEN_ALERTS_TABLE
 * (required), FIRSTSEEN_SILENCE_MINUTES (default 60), FIRSTSEEN_CONFIG_PATH (optional).
 * Throws ConfigError naming every bad variable.
 */
export function readWatchdogEnvironment(env: Record<string, string | undefined>): WatchdogEnvironment {
  const problems: string[] = [];
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name}: required environment variable is missing or empty`);
    return v ?? '';
  };
  const baselineTable = required('FIRSTSEEN_BASELINE_TABLE');
  const alertsTable = required('FIRSTSEEN_ALERTS_TABLE');
  const minutesRaw = env['FIRSTSEEN_SILENCE_MINUTES']?.trim() || '60';
  const minutes = Number(minutesRaw);
  if (!(Number.isFinite(minutes) && minutes > 0)) {
    problems.push(`FIRSTSEEN_SILENCE_MINUTES: expected a positive number, got "${minutesRaw}"`);
  }
  if (problems.length)
    throw new ConfigError(`invalid watchdog environment: ${problems.join('; ')}`, problems);
  return {
    baselineTable,
    alertsTable,
    configPath: env['FIRSTSEEN_CONFIG_PATH']?.trim() || undefined,
    silenceMs: minutes * 60_000,
  };
}
