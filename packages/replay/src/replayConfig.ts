import { readFileSync } from 'node:fs';
import { type Config, ConfigError, parseConfig } from '@firstseen/core';
import type { ReplayArgs } from './parseReplayArgs';
import type { ReplaySummary } from './summary';

/** The config file (or the defaults) with the command line's day overrides; throws ConfigError. */
export function loadReplayConfig(path: string | undefined, overrides: ReplayArgs['overrides']): Config {
  let input: Record<string, unknown> = {};
  if (path !== undefined) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`config ${path} cannot be read`, [], { cause: err });
    }
    try {
      input = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`config ${path} is not valid JSON`, [], { cause: err });
    }
  }
  return parseConfig({ ...input, ...overrides }, path ?? 'config');
}

/** 0, or 1 when bad objects were skipped without --skip-bad. Invalid records never change it. */
export function exitCodeFor(summary: ReplaySummary, skipBad: boolean): number {
  return summary.badFiles.length > 0 && !skipBad ? 1 : 0;
}
