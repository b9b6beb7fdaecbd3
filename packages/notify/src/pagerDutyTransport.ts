import { errorForStatus, type PostJson } from './postJson';
import type { PagerDutyEvent } from './renderPagerDuty';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** Events API v2: 202 accepted; 400 invalid event (permanent); 429 and 5xx retried. */
export async function postPagerDutyEvent(
  post: PostJson,
  eventsUrl: string,
  event: PagerDutyEvent,
  timeoutMs: number,
): Promise<void> {
  const res = await post(eventsUrl, event, { timeoutMs });
  if (res.status >= 200 && res.status < 300) return;
  throw errorForStatus('pagerduty', res);
}
