import { quote } from './recordFields';
import type { Suppression } from './suppression';
import type { IgnoreReason } from './types';

/**
 * Why an event produced no alert (docs/semantics.md "Policy and the alert"), as data: the
 * engine sets it on its Detection (`known`, `seed`, `burn-in`, `suppression`) and a record the
 * decoder ignored (`ignored`, e.g. by an ignore rule) never reaches the engine, so callers build
 * that one from the decoded outcome with `ignoredReason`. Rendered by `describeNoAlert`.
 */
export type NoAlertReason =
  /** No level fired: every key of the event was already in the baseline. */
  | { code: 'known' }
  /** A seed replay learns without alerting. */
  | { code: 'seed' }
  /** The principal's first sighting is younger than burnInDays (sensitive actions excepted). */
  | { code: 'burn-in'; firstSighting: string; until: string }
  /** A triage suppression covered the alert; absent fields when the check did not say which. */
  | {
      code: 'suppression';
      suppressionId?: string;
      principal?: string;
      action?: string;
      account?: string;
      region?: string;
      expiresAt?: string;
      createdBy?: string;
      reason?: string;
    }
  /** The decoder ignored the record (an ignore rule, coverage write-only, an AWS service ...). */
  | { code: 'ignored'; reason: IgnoreReason; detail?: string };

export type NoAlertCode = NoAlertReason['code'];

// Suppressions come from triage (Slack ids, principals, actions): bounded like any stored string.
const FIELD_MAX = 200;

function bounded(value: string): string {
  return value.length > FIELD_MAX ? `${value.slice(0, FIELD_MAX)}…` : value;
}

/** The `suppression` reason for a suppression that matched (its id and scope, bounded). */
export function suppressionReason(s: Suppression): NoAlertReason {
  const out: Extract<NoAlertReason, { code: 'suppression' }> = {
    code: 'suppression',
    suppressionId: bounded(s.id),
    principal: bounded(s.principal),
    expiresAt: Number.isFinite(s.expiresAt) ? new Date(s.expiresAt).toISOString() : String(s.expiresAt),
    createdBy: bounded(s.createdBy),
    reason: bounded(s.reason),
  };
  if (s.action !== undefined) out.action = bounded(s.action);
  if (s.account !== undefined) out.account = bounded(s.account);
  if (s.region !== undefined) out.region = bounded(s.region);
  return out;
}

/** The `ignored` reason of a record the decoder ignored. */
export function ignoredReason(decoded: { reason: IgnoreReason; detail?: string }): NoAlertReason {
  return decoded.detail === undefined
    ? { code: 'ignored', reason: decoded.reason }
    : { code: 'ignored', reason: decoded.reason, detail: bounded(decoded.detail) };
}

/**
 * One line for a person (terminal, logs): what held the alert back and until when or by what.
 * Every string that came from a record or a store is quoted (JSON escapes control characters)
 * and bounded, so the line is inert in a terminal.
 */
export function describeNoAlert(why: NoAlertReason): string {
  switch (why.code) {
    case 'known':
      return 'already known: every level key of this call is in the baseline';
    case 'seed':
      return 'seed replay: keys are learned without alerting';
    case 'burn-in':
      return `burn-in until ${why.until} (principal first seen ${why.firstSighting}; burnInDays)`;
    case 'suppression': {
      if (why.suppressionId === undefined) return 'suppressed by a triage suppression';
      const scope = [
        why.action !== undefined ? `action ${quote(why.action, 120)}` : 'every non-sensitive action',
        why.account !== undefined ? `account ${quote(why.account, 20)}` : undefined,
        why.region !== undefined ? `region ${quote(why.region, 30)}` : undefined,
      ]
        .filter((p) => p !== undefined)
        .join(', ');
      return (
        `suppressed by suppression ${quote(why.suppressionId, 40)} of ${quote(why.principal ?? '', 120)} ` +
        `(${scope}; ${why.reason ?? 'triage'} by ${quote(why.createdBy ?? '', 60)}, until ${why.expiresAt ?? '?'})`
      );
    }
    case 'ignored':
      return why.reason === 'ignore-rule'
        ? `ignored by ${why.detail?.replace(/^matched /, '') ?? 'an ignore rule'}`
        : `ignored (${why.reason}${why.detail !== undefined ? `: ${quote(why.detail, 120)}` : ''})`;
  }
}
