import { matchesAnyGlob } from '@firstseen/core';
import { silenceAlert } from './silenceAlert';
import type { Heartbeat, WatchdogOptions, WatchdogResult } from './types';

/** The heartbeats older than `silenceMs` at `now`, skipping ignored accounts and regions. */
export function findSilent(
  heartbeats: readonly Heartbeat[],
  now: number,
  silenceMs: number,
  ignore: WatchdogOptions['ignore'] = {},
): Heartbeat[] {
  return heartbeats.filter(
    (h) =>
      now - h.lastEventTime > silenceMs &&
      !matchesAnyGlob(h.account, ignore.accounts ?? []) &&
      !matchesAnyGlob(h.region, ignore.regions ?? []),
  );
}

/**
 * One watchdog run: reads every heartbeat and writes one alert per (account, region) that used
 * to send events and has been silent longer than configured. A disabled forwarding rule or a
 * stopped trail must not blind firstseen quietly.
 */
export async function runWatchdog(options: WatchdogOptions): Promise<WatchdogResult> {
  if (!(options.silenceMs > 0)) throw new RangeError(`silenceMs must be positive, got ${options.silenceMs}`);
  const now = options.clock();
  const heartbeats = await options.heartbeats.list();
  const silent = findSilent(heartbeats, now, options.silenceMs, options.ignore);
  let alerted = 0;
  for (const heartbeat of silent) {
    if (await options.outbox.put(silenceAlert(heartbeat, now))) alerted++;
  }
  return { checked: heartbeats.length, silent, alerted };
}
