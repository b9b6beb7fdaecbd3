import { createHash } from 'node:crypto';
import { describeAccount, type Severity } from '@firstseen/core';
import { cloudTrailEventUrl } from './consoleLink';
import { boundedPlain } from './inertText';
import { maxSeverity } from './renderSlack';
import type { AlertRecord } from './types';
import { wellFormedAlert } from './wellFormed';

export const PAGERDUTY_MAX_SUMMARY = 1024;
export const PAGERDUTY_MAX_DEDUP_KEY = 255;
/**
 * PagerDuty's Events API v2 accepts events up to 512 KB (Events API v2 overview, "Size
 * Limits"): a bigger one is refused and its incident never opens. We aim for half of it, in
 * UTF-8 bytes of the JSON body, and never send more than the limit.
 */
export const PAGERDUTY_MAX_EVENT_BYTES = 512 * 1024;
export const PAGERDUTY_TARGET_EVENT_BYTES = 256 * 1024;

/**
 * high -> critical: a high alert is a sensitive action (CloudTrail off, new IAM user, key
 * deletion...) or root activity, which warrants waking someone; medium -> warning; low -> info.
 * `error` is left unused on purpose: it is for broken systems, not for security findings.
 */
export const PAGERDUTY_SEVERITY: Record<Severity, 'critical' | 'warning' | 'info'> = {
  high: 'critical',
  medium: 'warning',
  low: 'info',
};

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  client: string;
  payload: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp?: string;
    component?: string;
    group?: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  links: { href: string; text: string }[];
}

/** eventTime as a Date; docs/semantics.md allows `+HHMM` offsets, which Date.parse does not. */
export function parseEventTime(eventTime: string): Date | undefined {
  const normalised = eventTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const t = Date.parse(normalised);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** The UTC day (YYYY-MM-DD) of the alert's event, or of `fallbackMs` when its time is unreadable. */
export function utcDay(alert: Pick<AlertRecord, 'eventTime'>, fallbackMs: number): string {
  const d = parseEventTime(alert.eventTime) ?? new Date(fallbackMs);
  return d.toISOString().slice(0, 10);
}

/**
 * `firstseen/<principal>/<UTC day of the event>`: one incident per principal per day however
 * many new actions it takes; sha256-hashed when longer than PagerDuty's 255 characters.
 */
export function pagerDutyDedupKey(principal: string, day: string): string {
  const raw = `firstseen/${principal}/${day}`;
  // The principal is attacker-influenced (SAML and web-identity user names): keep the readable
  // key only when it is short and plain printable ASCII, otherwise hash it.
  if (raw.length <= PAGERDUTY_MAX_DEDUP_KEY && /^[\x21-\x7e]+$/.test(raw)) return raw;
  return `firstseen/sha256/${createHash('sha256').update(raw).digest('hex')}/${day}`;
}

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

const TRUNCATED = '[truncated]';

/**
 * A copy of `value` for custom_details: strings neutralised and cut at 1,024 characters,
 * keys at 100, at most 20 array items and 40 keys an object, 4 levels deep, and at most about
 * `budget` bytes of JSON in all: once the budget is spent, the rest of a container is left out
 * and marked `[truncated]`. However large one alert's fields are, its details stay bounded.
 */
function boundedDetails(value: unknown, budget: number): unknown {
  let left = budget;
  const visit = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const s = boundedPlain(v, 1024);
      const cost = jsonBytes(s);
      if (cost > left) {
        const cut = boundedPlain(s, Math.max(1, Math.floor(left / 4)));
        left -= jsonBytes(cut);
        return cut;
      }
      left -= cost;
      return s;
    }
    if (v === null || typeof v !== 'object') {
      left -= jsonBytes(v ?? null);
      return v;
    }
    if (depth >= 4) {
      left -= 10;
      return '[nested]';
    }
    left -= 2;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v.slice(0, 20)) {
        if (left <= 16) {
          out.push(TRUNCATED);
          break;
        }
        out.push(visit(item, depth + 1));
        left -= 1;
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v).slice(0, 40)) {
      const key = boundedPlain(k, 100);
      left -= jsonBytes(key) + 2;
      if (left <= 16) {
        out['…'] = TRUNCATED;
        break;
      }
      out[key] = visit(item, depth + 1);
    }
    return out;
  };
  return visit(value, 0);
}

function alertDetails(alert: AlertRecord, budget: number): Record<string, unknown> {
  // The fields a responder reads first come first, so a spent budget cuts the bulky ones.
  return boundedDetails(
    {
      alertId: alert.alertId,
      eventId: alert.eventId,
      eventTime: alert.eventTime,
      principal: alert.principal,
      account: alert.account,
      ...(alert.accountInfo && { accountName: alert.accountInfo.name, ouPath: alert.accountInfo.ouPath }),
      region: alert.region,
      action: alert.action,
      levels: alert.levels,
      // Only when present, so that an alert without it renders exactly as before the level existed.
      ...(alert.resource === undefined ? {} : { resource: alert.resource }),
      severity: alert.severity,
      severityRule: alert.severityRule,
      identityType: alert.identityType,
      sessionName: alert.sessionName,
      sourceIdentity: alert.sourceIdentity,
      sourceIPAddress: alert.sourceIPAddress,
      userAgent: alert.userAgent,
      evidence: alert.evidence,
      errorCode: alert.errorCode,
      previousSeen: alert.previousSeen,
      errorMessage: alert.errorMessage,
      context: alert.context,
      requestParameters: alert.requestParameters,
    },
    budget,
  ) as Record<string, unknown>;
}

/**
 * Adds the alerts' details within PAGERDUTY_TARGET_EVENT_BYTES (fewer alerts, then smaller
 * details per alert), and checks the real UTF-8 size of the result against PagerDuty's limit.
 */
function fitPayload(event: PagerDutyEvent, alerts: readonly AlertRecord[]): PagerDutyEvent {
  const base = jsonBytes(event);
  let shown = Math.min(alerts.length, 20);
  for (;;) {
    const perAlert = Math.floor((PAGERDUTY_TARGET_EVENT_BYTES - base - 64) / shown);
    event.payload.custom_details['alerts'] = alerts.slice(0, shown).map((a) => alertDetails(a, perAlert));
    if (jsonBytes(event) <= PAGERDUTY_TARGET_EVENT_BYTES || shown <= 1) break;
    shown = Math.max(1, Math.floor(shown / 2));
  }
  if (jsonBytes(event) > PAGERDUTY_TARGET_EVENT_BYTES) {
    event.payload.custom_details['alerts'] = alerts.slice(0, 1).map((a) => ({
      alertId: boundedPlain(a.alertId, 256),
      details: TRUNCATED,
    }));
  }
  const size = jsonBytes(event);
  // Unreachable with the bounds above; a RangeError here is this group's permanent failure.
  if (size > PAGERDUTY_MAX_EVENT_BYTES)
    throw new RangeError(`PagerDuty event of ${size} bytes exceeds ${PAGERDUTY_MAX_EVENT_BYTES}`);
  return event;
}

/** One trigger event for the alerts of one principal on one UTC day. */
export function renderPagerDutyGroup(
  input: readonly AlertRecord[],
  routingKey: string,
  nowMs: number,
): PagerDutyEvent {
  const alerts = input.map(wellFormedAlert);
  const first = alerts[0];
  if (!first) throw new RangeError('renderPagerDutyGroup needs at least one alert');
  const more = alerts.length > 1 ? ` (+${alerts.length - 1} more)` : '';
  const explanation = first.context['explanation'];
  const likely = typeof explanation === 'string' && explanation !== '' ? explanation : undefined;
  const summary = boundedPlain(
    `First seen: ${first.principal} called ${first.action} in ${boundedPlain(describeAccount(first.account, first.accountInfo), 100)}/${first.region}${more}${
      likely ? ` - likely: ${likely}` : ''
    }`,
    PAGERDUTY_MAX_SUMMARY,
  );
  const links = alerts.slice(0, 5).map((a) => ({
    href: cloudTrailEventUrl(a.region, a.eventId),
    text: boundedPlain(`CloudTrail event ${a.eventId}`, 200),
  }));
  const event: PagerDutyEvent = {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: pagerDutyDedupKey(first.principal, utcDay(first, nowMs)),
    client: 'firstseen',
    payload: {
      summary,
      source: boundedPlain(`aws:${describeAccount(first.account, first.accountInfo)}`, 255),
      severity: PAGERDUTY_SEVERITY[maxSeverity(alerts)],
      timestamp: (parseEventTime(first.eventTime) ?? new Date(nowMs)).toISOString(),
      component: boundedPlain(first.action, 255),
      group: boundedPlain(first.principal, 255),
      class: 'first-seen',
      custom_details: {
        principal: boundedPlain(first.principal, 1024),
        account: boundedPlain(describeAccount(first.account, first.accountInfo), 300),
        ...(first.accountInfo?.ouPath && { ouPath: boundedPlain(first.accountInfo.ouPath, 700) }),
        alertCount: alerts.length,
        ...(likely !== undefined && { likelyExplanation: boundedPlain(likely, 1024) }),
        alertIds: alerts.slice(0, 100).map((a) => boundedPlain(a.alertId, 256)),
      },
    },
    links,
  };
  return fitPayload(event, alerts);
}

/** The storm summary event: one incident per UTC day for the storm, counting what it covers. */
export function renderPagerDutyStormSummary(
  input: readonly AlertRecord[],
  routingKey: string,
  nowMs: number,
): PagerDutyEvent {
  const alerts = input.map(wellFormedAlert);
  const day = new Date(nowMs).toISOString().slice(0, 10);
  const principals = new Set(alerts.map((a) => a.principal));
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: `firstseen/storm/${day}`,
    client: 'firstseen',
    payload: {
      summary: `Alert storm: ${alerts.length} first-seen alerts from ${principals.size} principals summarised`,
      source: 'firstseen',
      severity: PAGERDUTY_SEVERITY[maxSeverity(alerts)],
      timestamp: new Date(nowMs).toISOString(),
      class: 'first-seen-storm',
      custom_details: {
        alertCount: alerts.length,
        principals: [...principals].slice(0, 50).map((p) => boundedPlain(p, 256)),
        alertIds: alerts.slice(0, 1000).map((a) => boundedPlain(a.alertId, 128)),
      },
    },
    links: [],
  };
}
