import { createHash } from 'node:crypto';
import type { ObservedEvent } from '@firstseen/core';
import type { Suppression } from './types';

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
