import {
  DAY_MS,
  type Suppression,
  type SuppressionStore,
  suppressionId,
  suppressionRefusal,
} from '@firstseen/core';
import type { PostJson } from '@firstseen/notify';
import type { Logger } from 'pino';
import { authorizeInteraction, type TrustedSlackApp } from './authorizeInteraction';
import {
  DEFAULT_EXPECTED_DAYS,
  DEFAULT_RESPONSE_URL_PREFIXES,
  MAX_BODY_BYTES,
  MAX_REQUEST_AGE_SECONDS,
  SNOOZE_DAYS,
} from './constants';
import { escalateSuspicious, suspiciousEvent } from './escalate';
import { type Interaction, parseInteraction } from './parseInteraction';
import { renderDecisionMessage } from './renderDecision';
import type { AlertDecisionStore, Decision, ReplayGuard, TriageAlert } from './types';
import { requestReplayKey, verifySlackRequest } from './verifySlackRequest';

/** An HTTP request as a Lambda function URL (payload 2.0) or the local server gives it. */
export interface TriageRequest {
  headers: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface TriageResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What an Expected decision suppresses besides the principal and action. */
export type ExpectedScope = 'action' | 'account' | 'region';

export interface TriageDeps {
  signingSecret: string;
  /** Whose clicks are accepted (`trustedSlackApps(config)`); empty: every request gets 403. */
  trustedApps: readonly TrustedSlackApp[];
  alerts: AlertDecisionStore;
  suppressions: SuppressionStore;
  replayGuard: ReplayGuard;
  /** HTTP sender for response_url and PagerDuty. */
  post: PostJson;
  pagerDuty: {
    eventsUrl: string;
    /** The routing key for an alert (its owner's, else the default); undefined when none is configured. */
    routingKeyFor(alert: TriageAlert): string | undefined;
  };
  logger: Logger;
  clock?: () => number;
  /** Default 90. */
  expectedDays?: number;
  /** `action` (default): the principal's action anywhere; `account` / `region`: only there. */
  expectedScope?: ExpectedScope;
  /** Default 7. */
  snoozeDays?: number;
  /** response_url must start with one of these. Default Slack's hooks host only. */
  responseUrlPrefixes?: readonly string[];
  maxBodyBytes?: number;
  /** Per outbound request (PagerDuty, response_url); Slack wants an answer within 3 s. Default 2,000. */
  outboundTimeoutMs?: number;
}

const text = (statusCode: number, body: string): TriageResponse => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
});

/**
 * One Slack interaction request, end to end:
 * - body too large: 400; signature or timestamp wrong: 401;
 * - signed, but not one click on our buttons, from a configured workspace, app and (when listed)
 *   triager, on a known alert, allowed by the triage rule (docs/semantics.md): 403;
 * - a request already seen: 401.
 * None of these changes anything. Then the decision: recorded on the alert item first
 * (conditional, so a retried click changes nothing twice), then its effect (suppression, or
 * exactly one PagerDuty escalation), then the Slack message updated in place through response_url.
 */
export async function handleTriageRequest(request: TriageRequest, deps: TriageDeps): Promise<TriageResponse> {
  const clock = deps.clock ?? Date.now;
  const log = deps.logger;
  const raw = request.body ?? '';
  const bytes = request.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > (deps.maxBodyBytes ?? MAX_BODY_BYTES)) {
    log.warn({ reason: 'too-large', bytes: bytes.length }, 'triage request refused');
    return text(400, 'bad request');
  }
  const body = bytes.toString('utf8');

  const verified = verifySlackRequest(request.headers, body, deps.signingSecret, clock());
  if (!verified.ok) {
    log.warn({ reason: verified.reason }, 'triage request refused');
    return text(401, 'unauthorized');
  }
  const forbidden = (reason: string, detail: Record<string, unknown> = {}) => {
    log.warn({ reason, ...detail }, 'triage request refused');
    return text(403, 'forbidden');
  };

  // Everything is checked before the replay key is claimed, so a refused request writes nothing.
  const parsed = parseInteraction(body);
  if (!parsed.ok) return forbidden(parsed.reason);
  const interaction = parsed.interaction;
  const authorized = authorizeInteraction(interaction, deps.trustedApps);
  if (!authorized.ok) {
    // Every field here is bounded by the payload schema.
    return forbidden(authorized.reason, { origin: interaction.origin, userId: interaction.triager.userId });
  }

  const alert = await deps.alerts.get(interaction.alertId);
  if (!alert) return forbidden('unknown-alert', { alertId: interaction.alertId.slice(0, 256) });
  // docs/semantics.md: a principal-wide snooze of a root/ principal is refused (its button is not shown).
  if (interaction.decision === 'snooze' && suppressionRefusal(alert.principal, {}) !== undefined) {
    return forbidden('root-snooze', { alertId: alert.alertId.slice(0, 256) });
  }

  const fresh = await deps.replayGuard.claim(
    requestReplayKey(verified.timestamp, verified.signature),
    (verified.timestamp + MAX_REQUEST_AGE_SECONDS) * 1000,
  );
  if (!fresh) {
    log.warn({ reason: 'replayed' }, 'triage request refused');
    return text(401, 'unauthorized');
  }

  const decision = await decide(interaction, alert, deps, clock);
  if (decision) await updateMessage(interaction, decision, alert, deps);
  return text(200, '');
}

async function decide(
  interaction: Interaction,
  alert: TriageAlert,
  deps: TriageDeps,
  clock: () => number,
): Promise<Decision | undefined> {
  const now = clock();
  const decision: Decision = {
    ...interaction.triager,
    alertId: alert.alertId,
    decision: interaction.decision,
    at: new Date(now).toISOString(),
    requestKey: interaction.requestKey,
  };
  let suppression: Suppression | undefined;
  if (interaction.decision === 'expected' || interaction.decision === 'snooze') {
    const scope: Pick<Suppression, 'action' | 'account' | 'region'> = {};
    if (interaction.decision === 'expected') {
      scope.action = alert.action;
      const s = deps.expectedScope ?? 'action';
      if (s === 'account' || s === 'region') scope.account = alert.account;
      if (s === 'region') scope.region = alert.region;
    }
    const days =
      interaction.decision === 'expected'
        ? (deps.expectedDays ?? DEFAULT_EXPECTED_DAYS)
        : (deps.snoozeDays ?? SNOOZE_DAYS);
    suppression = {
      principal: alert.principal,
      id: suppressionId(scope),
      ...scope,
      expiresAt: now + days * DAY_MS,
      createdAt: now,
      createdBy: interaction.triager.userId,
      reason: interaction.decision,
      alertId: alert.alertId,
    };
    decision.suppressionId = suppression.id;
    decision.suppressedUntil = new Date(suppression.expiresAt).toISOString();
  }

  const outcome = await deps.alerts.record(decision, { escalate: interaction.decision === 'suspicious' });
  const log = deps.logger.child({ alertId: alert.alertId.slice(0, 256), requestKey: decision.requestKey });
  if (outcome.kind === 'duplicate' || outcome.kind === 'missing') {
    log.info({ outcome: outcome.kind }, 'triage click already recorded; nothing changed');
    return undefined;
  }
  if (suppression) await deps.suppressions.put(suppression);
  if (outcome.kind === 'already-escalated') {
    decision.escalation = 'already-escalated';
  } else if (outcome.escalate) {
    decision.escalation = await escalate(alert, decision, deps, log);
  }
  log.info({ audit: decision }, 'triage decision');
  return decision;
}

async function escalate(
  alert: TriageAlert,
  decision: Decision,
  deps: TriageDeps,
  log: Logger,
): Promise<'sent' | 'failed'> {
  const routingKey = deps.pagerDuty.routingKeyFor(alert);
  let status: 'sent' | 'failed' = 'failed';
  if (routingKey === undefined) {
    log.error('no PagerDuty routing key configured: the Suspicious decision cannot be escalated');
  } else {
    try {
      await escalateSuspicious(
        deps.post,
        deps.pagerDuty.eventsUrl,
        suspiciousEvent(alert, decision, routingKey),
        deps.outboundTimeoutMs ?? 2_000,
      );
      status = 'sent';
    } catch (err) {
      log.error({ err }, 'PagerDuty escalation failed; a new click on Suspicious retries it');
    }
  }
  await deps.alerts.finishEscalation(alert.alertId, decision.requestKey, status);
  return status;
}

async function updateMessage(
  interaction: Interaction,
  decision: Decision,
  alert: TriageAlert,
  deps: TriageDeps,
): Promise<void> {
  const url = interaction.responseUrl;
  if (!url) return;
  const prefixes = deps.responseUrlPrefixes ?? DEFAULT_RESPONSE_URL_PREFIXES;
  if (!prefixes.some((p) => url.startsWith(p))) {
    deps.logger.warn(
      { alertId: alert.alertId.slice(0, 256) },
      'response_url is not a Slack URL; message not updated',
    );
    return;
  }
  const message = renderDecisionMessage(interaction, decision, alert);
  try {
    const res = await deps.post(
      url,
      { replace_original: true, ...message },
      {
        timeoutMs: deps.outboundTimeoutMs ?? 2_000,
      },
    );
    if (res.status < 200 || res.status >= 300) {
      deps.logger.warn({ status: res.status }, 'Slack refused the message update');
    }
  } catch (err) {
    // The decision stands; only its display failed.
    deps.logger.warn({ err }, 'updating the Slack message failed');
  }
}
