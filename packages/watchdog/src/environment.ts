import { environmentReader } from '@firstseen/core';

export interface WatchdogEnvironment {
  baselineTable: string;
  alertsTable: string;
  /** The validated config file bundled with the function (alert retention comes from it). */
  configPath?: string;
  silenceMs: number;
  neverReportedGraceMs: number;
  /** The forwarded regions: every ACTIVE account is expected to send events from each. */
  regions: string[];
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * Reads the watchdog's environment: FIRSTSEEN_BASELINE_TABLE, FIRSTSEEN_ALERTS_TABLE
 * (required), FIRSTSEEN_EXPECTED_REGIONS (comma-separated, default us-east-1),
 * FIRSTSEEN_SILENCE_MINUTES (default 60), FIRSTSEEN_NEVER_REPORTED_GRACE_HOURS (default 24),
 * FIRSTSEEN_CONFIG_PATH (optional). Throws ConfigError naming every bad variable.
 */
export function readWatchdogEnvironment(env: Record<string, string | undefined>): WatchdogEnvironment {
  const reader = environmentReader(env);
  const baselineTable = reader.required('FIRSTSEEN_BASELINE_TABLE');
  const alertsTable = reader.required('FIRSTSEEN_ALERTS_TABLE');
  const minutes = reader.positiveNumber('FIRSTSEEN_SILENCE_MINUTES', 60);
  const graceHours = reader.positiveNumber('FIRSTSEEN_NEVER_REPORTED_GRACE_HOURS', 24);
  const regions = (reader.optional('FIRSTSEEN_EXPECTED_REGIONS') ?? 'us-east-1')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const bad = regions.filter((r) => !REGION.test(r));
  if (bad.length > 0 || regions.length === 0) {
    reader.problem(`FIRSTSEEN_EXPECTED_REGIONS: expected region names, got "${bad.join(',')}"`);
  }
  reader.finish('watchdog');
  return {
    baselineTable,
    alertsTable,
    configPath: reader.optional('FIRSTSEEN_CONFIG_PATH'),
    silenceMs: minutes * 60_000,
    neverReportedGraceMs: graceHours * 3_600_000,
    regions,
  };
}
