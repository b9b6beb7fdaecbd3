import { createHash } from 'node:crypto';
import type { Severity } from '@firstseen/core';
import { cloudTrailEventUrl } from './consoleLink';
import { boundedPlain } from './inertText';
import { maxSeverity } from './renderSlack';
import type { AlertRecord } from './types';

export const PAGERDUTY_MAX_SUMMARY = 1024;
export const PAGERDUTY_MAX_DEDUP_KEY = 255;
/** PagerDuty accepts events up to 512 KB; we stay well below. */
export const PAGERDUTY_MAX_PAYLOAD_CHARS = 256_000;

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

/** eventTime as a Date; DESIGN.md allows `+HHMM` offsets, which Date.parse does not. */
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

/** Every string bounded, depth and array length capped, so custom_details stays small. */
function bounded(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return boundedPlain(value, 1024);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 4) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => bounded(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 40)) out[boundedPlain(k, 100)] = bounded(v, depth + 1);
  return out;
}

function alertDetails(alert: AlertRecord): Record<string, unknown> {
  return bounded({
    alertId: alert.alertId,
    eventId: alert.eventId,
    eventTime: alert.eventTime,
    principal: alert.principal,
    account: alert.account,
    region: alert.region,
    action: alert.action,
    levels: alert.levels,
    severity: alert.severity,
    severityRule: alert.severityRule,
    identityType: alert.identityType,
    sessionName: alert.sessionName,
    sourceIdentity: alert.sourceIdentity,
    sourceIPAddress: alert.sourceIPAddress,
    userAgent: alert.userAgent,
    evidence: alert.evidence,
    errorCode: alert.errorCode,
    errorMessage: alert.errorMessage,
    requestParameters: alert.requestParameters,
    previousSeen: alert.previousSeen,
    context: alert.context,
  }) as Record<string, unknown>;
}

function fitPayload(event: PagerDutyEvent, alerts: readonly AlertRecord[]): PagerDutyEvent {
  let shown = Math.min(alerts.length, 20);
  for (;;) {
    event.payload.custom_details['alerts'] = alerts.slice(0, shown).map(alertDetails);
    if (JSON.stringify(event).length <= PAGERDUTY_MAX_PAYLOAD_CHARS || shown <= 1) return event;
    shown = Math.max(1, Math.floor(shown / 2));
  }
}

/** One trigger event for the alerts of one principal on one UTC day. */
export function renderPagerDutyGroup(
  alerts: readonly AlertRecord[],
  routingKey: string,
  nowMs: number,
): PagerDutyEvent {
  const first = alerts[0];
  if (!first) throw new RangeError('renderPagerDutyGroup needs at least one alert');
  const more = alerts.length > 1 ? ` (+${alerts.length - 1} more)` : '';
  const explanation = first.context['explanation'];
  const likely = typeof explanation === 'string' && explanation !== '' ? explanation : undefined;
  const summary = boundedPlain(
    `First seen: ${first.principal} called ${first.action} in ${first.account}/${first.region}${more}${
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
      source: boundedPlain(`aws:${first.account}`, 255),
      severity: PAGERDUTY_SEVERITY[maxSeverity(alerts)],
      timestamp: (parseEventTime(first.eventTime) ?? new Date(nowMs)).toISOString(),
      component: boundedPlain(first.action, 255),
      group: boundedPlain(first.principal, 255),
      class: 'first-seen',
      custom_details: {
        principal: boundedPlain(first.principal, 1024),
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
  alerts: readonly AlertRecord[],
  routingKey: string,
  nowMs: number,
): PagerDutyEvent {
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
