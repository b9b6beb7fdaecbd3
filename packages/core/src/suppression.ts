import { createHash } from 'node:crypto';
import { isRootPrincipal } from './normalisePrincipal';
import type { ObservedEvent } from './types';

export type SuppressionReason = 'expected' | 'snooze' | 'manual';

/**
 * Alerts for `principal` (and, when given, only for that action, account, region) are
 * suppressed while now < expiresAt. Keys are still learned: this only stops the alert. Made by
 * triage (Slack buttons, `npm run triage`), read by the detector and the replay.
 */
export interface Suppression {
  principal: string;
  /** Stable id of the scope within the principal (same scope, same id: adding twice replaces). */
  id: string;
  action?: string;
  account?: string;
  region?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Slack user id, or `cli:<user>` for the triage script. */
  createdBy: string;
  reason: SuppressionReason;
  alertId?: string;
}

export interface SuppressionStore {
  /** Adds or replaces (same principal and id) a suppression. */
  put(suppression: Suppression): Promise<void>;
  /** True when it existed. */
  remove(principal: string, id: string): Promise<boolean>;
  /** The principal's suppressions, expired ones included (callers compare with their clock). */
  forPrincipal(principal: string): Promise<Suppression[]>;
  list(): Promise<Suppression[]>;
}

type Scope = Pick<Suppression, 'action' | 'account' | 'region'>;

/** The id of a scope: `principal-wide` for a snooze, else a short hash of (action, account, region). */
export function suppressionId(scope: Scope): string {
  if (scope.action === undefined && scope.account === undefined && scope.region === undefined) {
    return 'principal-wide';
  }
  const raw = JSON.stringify([scope.action ?? null, scope.account ?? null, scope.region ?? null]);
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/**
 * The triage rule (docs/semantics.md, "Policy and the alert"): a sensitive action or a `root/` principal is silenced only by a
 * suppression naming that exact principal and action, never by a principal-wide one.
 */
export function needsExactSuppression(principal: string, sensitive: boolean): boolean {
  return sensitive || isRootPrincipal(principal);
}

/**
 * Why a suppression with this scope may not be created, or undefined when it may: a
 * principal-wide (action-less) suppression of a `root/` principal could never apply, so it is
 * refused rather than stored as if it did something.
 */
export function suppressionRefusal(principal: string, scope: Scope): string | undefined {
  if (isRootPrincipal(principal) && scope.action === undefined) {
    return `${principal} is a root user: its alerts are never suppressed principal-wide; name the action`;
  }
  return undefined;
}

/**
 * True when the suppression lives at `atMs` and its scope covers the event (exact matches only).
 * `sensitive` says the event's action is on the sensitive list: such an event, and any event of a
 * `root/` principal, is covered only by a suppression that names its action.
 */
export function suppressionMatches(
  s: Suppression,
  event: Pick<ObservedEvent, 'principal' | 'action' | 'account' | 'region'>,
  atMs: number,
  sensitive: boolean,
): boolean {
  if (s.action === undefined && needsExactSuppression(event.principal, sensitive)) return false;
  return (
    atMs < s.expiresAt &&
    s.principal === event.principal &&
    (s.action === undefined || s.action === event.action) &&
    (s.account === undefined || s.account === event.account) &&
    (s.region === undefined || s.region === event.region)
  );
}
