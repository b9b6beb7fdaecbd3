import { bounded } from './bounded';
import type { IamChange } from './types';
import {
  type ExplanationContext,
  type ExplanationFacts,
  type ExplanationReason,
  MAX_EXPLANATION_CHARS,
  MAX_FACT_CHARS,
} from './types';

/** Everything an explanation is chosen from (gathered by Explainer; pure data, easy to test). */
export interface AlertEvidence {
  region: string;
  errorCode?: string;
  denied: boolean;
  firstSuccessAfterFailure: boolean;
  /** The principal's earlier attempts at this action include a denied one. */
  deniedBefore: boolean;
  actionCount: number;
  /** The principal's first sighting, epoch ms. */
  knownSince: number;
  otherPrincipals: number;
  /** New actions of this principal in the burst window ending at this event (this one included). */
  burstActions: number;
  burstDenied: number;
  burstWindowMinutes: number;
  burstMinActions: number;
  /** A permission change of this principal in the look-back window before this event. */
  iamChange?: IamChange;
  newRegion: boolean;
  unusualUserAgent?: string;
  unusualNetwork?: string;
  sessionName?: string;
  sourceIdentity?: string;
}

const b = (s: string): string => bounded(s, MAX_FACT_CHARS);

function actorOf(c: IamChange): string {
  const who = [c.actorSessionName, c.actorSourceIdentity].filter(
    (s): s is string => s !== undefined && s !== '',
  );
  return who.length > 0 ? `${b(c.actor)} (${who.map(b).join(', ')})` : b(c.actor);
}

function unusualClause(e: AlertEvidence): string | undefined {
  const parts: string[] = [];
  if (e.unusualUserAgent) parts.push(`user agent family ${e.unusualUserAgent}`);
  if (e.unusualNetwork) parts.push(`network ${e.unusualNetwork}`);
  return parts.length > 0 ? `from a ${parts.join(' and ')} this principal had not used before` : undefined;
}

function prevalenceClause(e: AlertEvidence): string {
  if (e.otherPrincipals === 0) return 'first in the whole organization';
  return e.otherPrincipals === 1
    ? '1 other principal does this'
    : `${e.otherPrincipals} other principals do this`;
}

/**
 * The alert's context: the most likely reason (denied > IAM change > deployment burst > new
 * region > unusual context > lone new action), one short sentence saying it, and the facts.
 */
export function describeAlert(e: AlertEvidence): ExplanationContext {
  const unusual = unusualClause(e);
  const burst = e.burstActions >= e.burstMinActions;
  let reason: ExplanationReason;
  let sentence: string;
  if (e.denied) {
    reason = 'denied';
    const extra = [
      burst
        ? `${e.burstActions} new actions within ${e.burstWindowMinutes} minutes, ${e.burstDenied} denied`
        : undefined,
      unusual,
    ].filter((s) => s !== undefined);
    sentence = `Call denied (${b(e.errorCode ?? 'AccessDenied')}): reconnaissance or a misconfiguration${
      extra.length > 0 ? `; ${extra.join(', ')}` : ''
    }.`;
  } else if (e.firstSuccessAfterFailure && e.deniedBefore) {
    reason = 'first-success-after-denied';
    sentence = `First success after denied attempts: a permission was granted or a working one was found${
      unusual ? `; ${unusual}` : ''
    }.`;
  } else if (e.iamChange) {
    reason = 'iam-change';
    const c = e.iamChange;
    sentence = `New permissions granted at ${b(c.eventTime)} by ${actorOf(c)} with ${b(c.eventName)}${
      c.policy ? ` ${b(c.policy)}` : ''
    }: likely the reason for this new action.`;
  } else if (burst) {
    reason = 'deployment';
    sentence = `Looks like a new deployment: ${e.burstActions} new actions by this principal within ${e.burstWindowMinutes} minutes.`;
  } else if (e.newRegion) {
    reason = 'new-region';
    sentence = `First activity of this principal in ${b(e.region)}: a new rollout there, or misuse; ${prevalenceClause(e)}.`;
  } else if (unusual) {
    reason = 'unusual-context';
    sentence = `Unusual context: ${unusual}; ${prevalenceClause(e)}.`;
  } else if (e.firstSuccessAfterFailure) {
    reason = 'new-action';
    sentence = `First success after failed attempts; ${prevalenceClause(e)}.`;
  } else {
    reason = 'new-action';
    sentence = `A lone new action by a principal with ${e.actionCount} known action${
      e.actionCount === 1 ? '' : 's'
    }; ${prevalenceClause(e)}.`;
  }

  const facts: ExplanationFacts = {
    baseline: { actions: e.actionCount, knownSince: new Date(e.knownSince).toISOString() },
    prevalence: { otherPrincipals: e.otherPrincipals, firstInOrganization: e.otherPrincipals === 0 },
    who: {},
  };
  if (e.burstActions > 1) {
    facts.burst = { newActions: e.burstActions, windowMinutes: e.burstWindowMinutes, denied: e.burstDenied };
  }
  if (e.iamChange) {
    const c = e.iamChange;
    facts.iamChange = { eventName: b(c.eventName), at: b(c.eventTime), by: b(c.actor) };
    if (c.actorSessionName) facts.iamChange.sessionName = b(c.actorSessionName);
    if (c.actorSourceIdentity) facts.iamChange.sourceIdentity = b(c.actorSourceIdentity);
    if (c.policy) facts.iamChange.policy = b(c.policy);
  }
  if (e.denied) facts.denied = { errorCode: b(e.errorCode ?? '') };
  if (e.firstSuccessAfterFailure) {
    facts.firstSuccessAfterFailure = true;
    if (e.deniedBefore) facts.firstSuccessAfterDenied = true;
  }
  if (e.newRegion) facts.newRegion = b(e.region);
  if (e.unusualUserAgent) facts.unusualUserAgent = b(e.unusualUserAgent);
  if (e.unusualNetwork) facts.unusualNetwork = b(e.unusualNetwork);
  if (e.sessionName) facts.who.sessionName = b(e.sessionName);
  if (e.sourceIdentity) facts.who.sourceIdentity = b(e.sourceIdentity);
  return { reason, explanation: bounded(sentence, MAX_EXPLANATION_CHARS), facts };
}
