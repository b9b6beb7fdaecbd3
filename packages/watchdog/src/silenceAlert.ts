import type { Alert } from '@firstseen/core';
import type { Heartbeat } from './types';

/** The action recorded on a silence alert (not an AWS API: the watchdog's own). */
export const SILENCE_ACTION = 'firstseen:SourceSilent';

/**
 * The alert for one silence episode. Its id carries the heartbeat's lastEventTime, so every
 * run during the same silence computes the same id and the outbox's conditional put keeps a
 * single alert; when events resume and stop again, the new lastEventTime gives a new alert.
 */
export function silenceAlert(heartbeat: Heartbeat, now: number): Alert {
  const id = `watchdog#${heartbeat.account}#${heartbeat.region}#${heartbeat.lastEventTime}`;
  const silentForMinutes = Math.floor((now - heartbeat.lastEventTime) / 60_000);
  return {
    alertId: id,
    eventId: id,
    eventTime: new Date(now).toISOString(),
    principal: 'firstseen/watchdog',
    account: heartbeat.account,
    region: heartbeat.region,
    action: SILENCE_ACTION,
    levels: [],
    severity: 'high',
    identityType: 'FirstseenWatchdog',
    source: 'live',
    context: {
      kind: 'silence',
      lastEventTime: new Date(heartbeat.lastEventTime).toISOString(),
      silentForMinutes,
      explanation:
        `No CloudTrail event from account ${heartbeat.account} in ${heartbeat.region} for ` +
        `${silentForMinutes} minutes: check that the forwarding rule is enabled and CloudTrail is logging.`,
    },
  };
}
