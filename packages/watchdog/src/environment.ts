import { environmentReader } from '@firstseen/core';

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
  const reader = environmentReader(env);
  const baselineTable = reader.required('FIRSTSEEN_BASELINE_TABLE');
  const alertsTable = reader.required('FIRSTSEEN_ALERTS_TABLE');
  const minutes = reader.positiveNumber('FIRSTSEEN_SILENCE_MINUTES', 60);
  reader.finish('watchdog');
  return {
    baselineTable,
    alertsTable,
    configPath: reader.optional('FIRSTSEEN_CONFIG_PATH'),
    silenceMs: minutes * 60_000,
  };
}
