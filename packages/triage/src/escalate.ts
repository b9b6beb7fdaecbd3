import { createHash } from 'node:crypto';
import {
  boundedPlain,
  cloudTrailEventUrl,
  PAGERDUTY_SEVERITY,
  type PagerDutyEvent,
  type PostJson,
  postPagerDutyEvent,
} from '@firstseen/notify';
import type { Decision, TriageAlert } from './types';

/** One incident per alert: a retried escalation collapses into it at PagerDuty too. */
export function triageDedupKey(alertId: string): string {
  const raw = `firstseen/triage/${alertId}`;
  return raw.length <= 255
    ? raw
    : `firstseen/triage/sha256/${createHash('sha256').update(alertId).digest('hex')}`;
}

/** The trigger a Suspicious decision sends: high severity whatever the alert's, naming the triager. */
export function suspiciousEvent(alert: TriageAlert, decision: Decision, routingKey: string): PagerDutyEvent {
  const who = decision.userName ? `${decision.userName} (${decision.userId})` : decision.userId;
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: triageDedupKey(alert.alertId),
    client: 'firstseen',
    payload: {
      summary: boundedPlain(
        `Marked suspicious by ${who}: ${alert.principal} called ${alert.action} in ${alert.account}/${alert.region}`,
        1024,
      ),
      source: boundedPlain(`aws:${alert.account}`, 255),
      severity: PAGERDUTY_SEVERITY.high,
      timestamp: decision.at,
      component: boundedPlain(alert.action, 255),
      group: boundedPlain(alert.principal, 255),
      class: 'first-seen-triage',
      custom_details: {
        triagedBy: { userId: decision.userId, userName: boundedPlain(decision.userName ?? '', 200) },
        slack: { teamId: decision.teamId, channelId: decision.channelId },
        alertId: boundedPlain(alert.alertId, 256),
        principal: boundedPlain(alert.principal, 1024),
        action: boundedPlain(alert.action, 512),
        account: boundedPlain(alert.account, 64),
        region: boundedPlain(alert.region, 64),
        eventTime: boundedPlain(alert.eventTime, 64),
        levels: alert.levels,
        alertSeverity: alert.severity,
      },
    },
    links: [{ href: cloudTrailEventUrl(alert.region, alert.eventId), text: 'CloudTrail event' }],
  };
}

export async function escalateSuspicious(
  post: PostJson,
  eventsUrl: string,
  event: PagerDutyEvent,
  timeoutMs: number,
): Promise<void> {
  await postPagerDutyEvent(post, eventsUrl, event, timeoutMs);
}
