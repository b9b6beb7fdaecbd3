import type { Alert } from '@firstseen/core';
import type { Heartbeat } from './types';

/** The action recorded on a silence alert (not an AWS API: the watchdog's own). */
export const SILENCE_ACTION = 'firstseen:SourceSilent';
/** The action recorded when an expected (account, region) never sent an event. */
export const NEVER_REPORTED_ACTION = 'firstseen:SourceNeverReported';

function watchdogAlert(
  id: string,
  h: Heartbeat,
  now: number,
  action: string,
  severity: Alert['severity'],
  context: Record<string, unknown>,
): Alert {
  return {
    alertId: id,
    eventId: id,
    eventTime: new Date(now).toISOString(),
    principal: 'firstseen/watchdog',
    account: h.account,
    region: h.region,
    action,
    levels: [],
    severity,
    identityType: 'FirstseenWatchdog',
    source: 'live',
    context,
  };
}

/**
 * The alert for one silence episode. Its id carries the heartbeat's lastEventTime, so every
 * run during the same silence computes the same id and the outbox's conditional put keeps a
 * single alert; when events resume and stop again, the new lastEventTime gives a new alert.
 */
export function silenceAlert(heartbeat: Heartbeat, now: number): Alert {
  const last = heartbeat.lastEventTime ?? 0;
  const id = `watchdog#${heartbeat.account}#${heartbeat.region}#${last}`;
  const silentForMinutes = Math.floor((now - last) / 60_000);
  return watchdogAlert(id, heartbeat, now, SILENCE_ACTION, 'high', {
    kind: 'silence',
    lastEventTime: new Date(last).toISOString(),
    silentForMinutes,
    explanation:
      `No CloudTrail event from account ${heartbeat.account} in ${heartbeat.region} for ` +
      `${silentForMinutes} minutes: check that the forwarding rule is enabled and CloudTrail is logging.`,
  });
}

/**
 * The alert for an expected pair that never sent an event. One per pair and `expectedSince`:
 * every run computes the same id. Medium severity: a region nobody uses can be truly quiet, but
 * it is also where a failed stack instance or an unforwarded management account hides.
 */
export function neverReportedAlert(heartbeat: Heartbeat, now: number): Alert {
  const since = heartbeat.expectedSince ?? now;
  const id = `watchdog#${heartbeat.account}#${heartbeat.region}#never#${since}`;
  const hours = Math.floor((now - since) / 3_600_000);
  return watchdogAlert(id, heartbeat, now, NEVER_REPORTED_ACTION, 'medium', {
    kind: 'never-reported',
    expectedSince: new Date(since).toISOString(),
    expectedForHours: hours,
    explanation:
      `No CloudTrail event ever received from account ${heartbeat.account} in ${heartbeat.region}, ` +
      `expected for ${hours} hours: check its forwarding stack (\`npm run coverage\`), or ignore the ` +
      'account or region if it is deliberately unused.',
  });
}
