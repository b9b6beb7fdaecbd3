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
  /**
   * What the call does to defences or access (see actionEffect): set for a sensitive action or
   * a `root/` principal, whose explanation always leads with it.
   */
  effect?: string;
  actionCount: number;
  /** The principal's first sighting, epoch ms. */
  knownSince: number;
  otherPrincipals: number;
  /** New actions of this principal in the burst window ending at this event (this one included). */
  burstActions: number;
  burstDenied: number;
  burstWindowMinutes: number;
  burstMinActions: number;
  /**
   * The deployment tool family every call of the burst, and this event, came from, a family
   * and networks the principal had used before the burst. Only then is a burst a deployment.
   */
  deploymentTool?: string;
  /** A permission change of this principal in the look-back window before this event. */
  iamChange?: IamChange;
  /** The permission change is this very call. */
  iamChangeIsThisCall?: boolean;
  newRegion: boolean;
  /** A user agent family new for the principal (`other:<product>` when unrecognised). */
  unusualUserAgent?: string;
  /** The user agent itself (bounded, inert) when unusualUserAgent is unrecognised. */
  unrecognisedUserAgent?: string;
  unusualNetwork?: string;
  sessionName?: string;
  sourceIdentity?: string;
  /** The bucket a `resource` level fired for, with its prevalence. */
  bucket?: { name: string; otherPrincipals: number };
  /** Only the `resource` level fired: the principal already used this action, not on this bucket. */
  knownActionNewBucket?: boolean;
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
  if (e.unrecognisedUserAgent !== undefined)
    parts.push(`an unrecognised user agent \`${e.unrecognisedUserAgent}\``);
  else if (e.unusualUserAgent) parts.push(`user agent family ${e.unusualUserAgent}`);
  if (e.unusualNetwork) parts.push(`network ${e.unusualNetwork}`);
  if (parts.length === 0) return undefined;
  const what = parts.join(' and ');
  return `from ${what.startsWith('an ') ? '' : 'a '}${what} this principal had not used before`;
}

function prevalenceClause(e: AlertEvidence): string {
  if (e.otherPrincipals === 0) return 'first in the whole organization';
  return e.otherPrincipals === 1
    ? '1 other principal does this'
    : `${e.otherPrincipals} other principals do this`;
}

function changeClause(c: IamChange): string {
  return `at ${b(c.eventTime)} with ${b(c.eventName)}${c.policy ? ` ${b(c.policy)}` : ''}`;
}

/** The burst as a neutral fact: never a reading of it. */
function burstFact(e: AlertEvidence): string | undefined {
  if (e.burstActions < e.burstMinActions) return undefined;
  const base = `${e.burstActions} new actions by this principal within ${e.burstWindowMinutes} minutes`;
  return e.deploymentTool ? `${base}, all from ${e.deploymentTool}, which it had used before` : base;
}

/** The benign readings, stated as facts after a risk-leaning lead. */
function benignFacts(e: AlertEvidence): string[] {
  const out: string[] = [];
  const c = e.iamChange;
  if (c && c.actor !== c.target && !c.actorNewContext) {
    out.push(`permissions granted ${changeClause(c)} by ${actorOf(c)}`);
  }
  const burst = burstFact(e);
  if (burst) out.push(burst);
  return out;
}

const sentenceOf = (lead: string, rest: (string | undefined)[]): string => {
  const tail = rest.filter((s): s is string => s !== undefined && s !== '');
  return `${lead}${tail.length > 0 ? `; ${tail.join('; ')}` : ''}.`;
};

function bucketClause(others: number): string {
  if (others === 0) return 'first access to this bucket in the whole organization';
  return others === 1 ? '1 other principal touches it' : `${others} other principals touch it`;
}

/**
 * The alert's context: the most likely reason, one short sentence saying it, and the facts.
 * Risk readings come first (denied > first success after denied > possible privilege escalation
 * > unusual context > sensitive action); the benign ones (IAM change by another principal in its
 * usual context, deployment) may lead only for an ordinary action, and new context always
 * outranks a burst. A sensitive action or a `root/` principal leads with what the call does.
 */
export function describeAlert(e: AlertEvidence): ExplanationContext {
  const unusual = unusualClause(e);
  const c = e.iamChange;
  const selfGranted = c !== undefined && c.actor === c.target;
  const escalation = c !== undefined && (selfGranted || c.actorNewContext !== undefined);
  let reason: ExplanationReason;
  let sentence: string;
  if (e.denied) {
    reason = 'denied';
    const burst =
      e.burstActions >= e.burstMinActions
        ? `${e.burstActions} new actions within ${e.burstWindowMinutes} minutes, ${e.burstDenied} denied`
        : undefined;
    const extra = [burst, unusual].filter((s) => s !== undefined);
    sentence = `Call denied (${b(e.errorCode ?? 'AccessDenied')}): reconnaissance or a misconfiguration${
      extra.length > 0 ? `; ${extra.join(', ')}` : ''
    }.`;
  } else if (e.firstSuccessAfterFailure && e.deniedBefore) {
    reason = 'first-success-after-denied';
    sentence = sentenceOf(
      'First success after denied attempts: a permission was granted or a working one was found',
      [unusual, escalation ? undefined : benignFacts(e)[0]],
    );
  } else if (c && escalation) {
    reason = 'privilege-escalation';
    // A change read for this principal that is this very call can only be its own.
    const who = e.iamChangeIsThisCall
      ? 'this principal grants itself new permissions'
      : selfGranted
        ? `this principal granted itself new permissions ${changeClause(c)}, and this new action may use them`
        : `new permissions granted ${changeClause(c)} by ${actorOf(c)} from ${b(c.actorNewContext ?? '')}, and this new action may use them`;
    sentence = sentenceOf(`Possible privilege escalation: ${who}`, [
      unusual,
      burstFact(e),
      prevalenceClause(e),
    ]);
  } else if (unusual) {
    reason = 'unusual-context';
    sentence = sentenceOf(`Unusual context: ${unusual}`, [...benignFacts(e), prevalenceClause(e)]);
  } else if (e.effect) {
    reason = 'sensitive-action';
    sentence = sentenceOf(
      `New for this principal, which has ${e.actionCount} known action${e.actionCount === 1 ? '' : 's'}`,
      [...benignFacts(e), prevalenceClause(e)],
    );
  } else if (c) {
    reason = 'iam-change';
    sentence = `New permissions granted at ${b(c.eventTime)} by ${actorOf(c)} with ${b(c.eventName)}${
      c.policy ? ` ${b(c.policy)}` : ''
    }: likely the reason for this new action.`;
  } else if (e.deploymentTool && e.burstActions >= e.burstMinActions) {
    reason = 'deployment';
    sentence = `Looks like a new deployment: ${e.burstActions} new actions by this principal within ${e.burstWindowMinutes} minutes, all from ${e.deploymentTool}, which it had used before, from networks it had used.`;
  } else if (e.newRegion) {
    reason = 'new-region';
    sentence = sentenceOf(
      `First activity of this principal in ${b(e.region)}: a new rollout there, or misuse`,
      [burstFact(e), prevalenceClause(e)],
    );
  } else if (e.knownActionNewBucket && e.bucket) {
    // Only the `resource` level fired: the action is known, the bucket is not.
    reason = 'new-bucket';
    sentence = sentenceOf(
      `Known action on a bucket this principal never touched before (${b(e.bucket.name)}): data access after a credential theft looks like this`,
      [bucketClause(e.bucket.otherPrincipals), burstFact(e)],
    );
  } else if (e.burstActions >= e.burstMinActions) {
    reason = 'new-action';
    sentence = sentenceOf(
      `${e.burstActions} new actions by this principal within ${e.burstWindowMinutes} minutes, not from a deployment tool in its usual context`,
      [prevalenceClause(e)],
    );
  } else if (e.firstSuccessAfterFailure) {
    reason = 'new-action';
    sentence = `First success after failed attempts; ${prevalenceClause(e)}.`;
  } else {
    reason = 'new-action';
    sentence = `A lone new action by a principal with ${e.actionCount} known action${
      e.actionCount === 1 ? '' : 's'
    }; ${prevalenceClause(e)}.`;
  }
  if (e.knownActionNewBucket && e.bucket && reason !== 'new-bucket') {
    // Another reading leads (unusual context, ...): the new bucket is still said.
    sentence = `${sentence} The action is known; the bucket (${b(e.bucket.name)}) is new to this principal: ${bucketClause(e.bucket.otherPrincipals)}.`;
  }
  if (e.effect) sentence = `${e.effect}. ${sentence}`;

  const facts: ExplanationFacts = {
    ...(e.effect !== undefined && { effect: e.effect }),
    baseline: { actions: e.actionCount, knownSince: new Date(e.knownSince).toISOString() },
    prevalence: { otherPrincipals: e.otherPrincipals, firstInOrganization: e.otherPrincipals === 0 },
    who: {},
  };
  if (e.burstActions > 1) {
    facts.burst = { newActions: e.burstActions, windowMinutes: e.burstWindowMinutes, denied: e.burstDenied };
    if (e.deploymentTool) facts.burst.deploymentTool = e.deploymentTool;
  }
  if (c) {
    facts.iamChange = { eventName: b(c.eventName), at: b(c.eventTime), by: b(c.actor) };
    if (c.actorSessionName) facts.iamChange.sessionName = b(c.actorSessionName);
    if (c.actorSourceIdentity) facts.iamChange.sourceIdentity = b(c.actorSourceIdentity);
    if (c.policy) facts.iamChange.policy = b(c.policy);
    if (selfGranted) facts.iamChange.self = true;
    if (c.actorNewContext) facts.iamChange.actorNewContext = b(c.actorNewContext);
  }
  if (e.denied) facts.denied = { errorCode: b(e.errorCode ?? '') };
  if (e.firstSuccessAfterFailure) {
    facts.firstSuccessAfterFailure = true;
    if (e.deniedBefore) facts.firstSuccessAfterDenied = true;
  }
  if (e.newRegion) facts.newRegion = b(e.region);
  if (e.unusualUserAgent) facts.unusualUserAgent = b(e.unusualUserAgent);
  if (e.unrecognisedUserAgent !== undefined) facts.unrecognisedUserAgent = e.unrecognisedUserAgent;
  if (e.unusualNetwork) facts.unusualNetwork = b(e.unusualNetwork);
  if (e.bucket) {
    facts.bucket = {
      name: b(e.bucket.name),
      otherPrincipals: e.bucket.otherPrincipals,
      firstInOrganization: e.bucket.otherPrincipals === 0,
    };
  }
  if (e.sessionName) facts.who.sessionName = b(e.sessionName);
  if (e.sourceIdentity) facts.who.sourceIdentity = b(e.sourceIdentity);
  return { reason, explanation: bounded(sentence, MAX_EXPLANATION_CHARS), facts };
}
