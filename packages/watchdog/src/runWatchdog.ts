import { expectedPairs } from './expectedPairs';
import { neverReportedAlert, silenceAlert } from './silenceAlert';
import type { AccountRegion, Heartbeat, WatchdogOptions, WatchdogResult } from './types';

const pairKey = (p: AccountRegion) => `${p.account}\u0000${p.region}`;

/**
 * Sorts expected pairs: silent (last event older than `silenceMs`) and never reported (no event
 * `neverReportedGraceMs` after becoming expected). A pair without `expectedSince` counts as
 * expected from `now`.
 */
export function classifyHeartbeats(
  heartbeats: readonly Heartbeat[],
  now: number,
  silenceMs: number,
  neverReportedGraceMs: number,
): { silent: Heartbeat[]; neverReported: Heartbeat[] } {
  const silent: Heartbeat[] = [];
  const neverReported: Heartbeat[] = [];
  for (const h of heartbeats) {
    if (h.lastEventTime !== undefined) {
      if (now - h.lastEventTime > silenceMs) silent.push(h);
    } else if (now - (h.expectedSince ?? now) > neverReportedGraceMs) {
      neverReported.push(h);
    }
  }
  return { silent, neverReported };
}

/**
 * One watchdog run. The expected pairs are the organization's ACTIVE accounts (read every run,
 * so a new account is expected from its first run on and a closed one no longer is) times the
 * forwarded regions. Their heartbeats are read by key; a pair seen for the first time is marked
 * expected. Alerts: a pair silent longer than `silenceMs`, and a pair never heard from
 * `neverReportedGraceMs` after it became expected (a failed stack instance, the management
 * account, an account or region that never forwarded). A disabled forwarding rule or a stopped
 * trail must not blind firstseen quietly.
 */
export async function runWatchdog(options: WatchdogOptions): Promise<WatchdogResult> {
  if (!(options.silenceMs > 0)) throw new RangeError(`silenceMs must be positive, got ${options.silenceMs}`);
  if (!(options.neverReportedGraceMs > 0)) {
    throw new RangeError(`neverReportedGraceMs must be positive, got ${options.neverReportedGraceMs}`);
  }
  const now = options.clock();
  const accounts = await options.accounts.listActiveAccounts();
  const pairs = expectedPairs(accounts, options.regions, options.ignore);
  const stored = new Map((await options.heartbeats.get(pairs)).map((h) => [pairKey(h), h]));
  const unmarked = pairs.filter((p) => stored.get(pairKey(p))?.expectedSince === undefined);
  if (unmarked.length > 0) await options.heartbeats.markExpected(unmarked, now);
  const heartbeats = pairs.map((p) => stored.get(pairKey(p)) ?? { ...p, expectedSince: now });

  const { silent, neverReported } = classifyHeartbeats(
    heartbeats,
    now,
    options.silenceMs,
    options.neverReportedGraceMs,
  );
  let alerted = 0;
  for (const h of silent) if (await options.outbox.put(silenceAlert(h, now))) alerted++;
  for (const h of neverReported) if (await options.outbox.put(neverReportedAlert(h, now))) alerted++;
  const result: WatchdogResult = {
    expected: pairs.length,
    newlyExpected: unmarked.length,
    silent,
    neverReported,
    alerted,
  };
  if (options.directory) {
    try {
      const directory = await options.directory.read();
      await options.directory.put(directory, now);
      result.directory = { accounts: Object.keys(directory).length };
    } catch (err) {
      result.directory = { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
  }
  return result;
}
