import { createHash } from 'node:crypto';
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

/** True when the suppression lives at `atMs` and its scope covers the event (exact matches only). */
export function suppressionMatches(
  s: Suppression,
  event: Pick<ObservedEvent, 'principal' | 'action' | 'account' | 'region'>,
  atMs: number,
): boolean {
  return (
    atMs < s.expiresAt &&
    s.principal === event.principal &&
    (s.action === undefined || s.action === event.action) &&
    (s.account === undefined || s.account === event.account) &&
    (s.region === undefined || s.region === event.region)
  );
}
