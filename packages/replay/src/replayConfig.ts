import { type Config, loadConfigFileSync } from '@firstseen/core';
import type { ReplayArgs } from './parseReplayArgs';
import type { ReplaySummary } from './summary';

/** The config file (or the defaults) with the command line's day overrides; throws ConfigError. */
export function loadReplayConfig(path: string | undefined, overrides: ReplayArgs['overrides']): Config {
  return loadConfigFileSync(path, overrides);
}

/** 0, or 1 when bad objects were skipped without --skip-bad. Invalid records never change it. */
export function exitCodeFor(summary: ReplaySummary, skipBad: boolean): number {
  return summary.badFiles.length > 0 && !skipBad ? 1 : 0;
}
