import type { ClaimSource, KeyState } from '@firstseen/core';

/**
 * Expiry of a level key. `lastSeen` and `expiresAtMs` are epoch milliseconds, exactly what the
 * in-memory reference store compares; `expiresAt` = floor(expiresAtMs / 1000) is the TTL
 * attribute in epoch seconds. A key is expired at event time t when expiresAtMs < t, which the
 * write conditions test as
 *
 *   expiresAt < :tSec OR (expiresAt = :tSec AND expiresAtMs < :t)        (:tSec = floor(t / 1000))
 *
 * This is exactly expiresAtMs < t: when the seconds differ they decide, and within the same
 * second the milliseconds do. So the DynamoDB store expires a key at the same millisecond as the
 * in-memory store, and DynamoDB's TTL (which deletes lazily, some time after expiresAt) never
 * deletes a key that a condition would still treat as live.
 */
export const EXPIRED_CONDITION = 'expiresAt < :tSec OR (expiresAt = :tSec AND expiresAtMs < :t)';

export function expiryValues(t: number): { ':t': number; ':tSec': number } {
  return { ':t': t, ':tSec': Math.floor(t / 1000) };
}

export function expiry(lastSeen: number, retentionMs: number): { expiresAt: number; expiresAtMs: number } {
  const expiresAtMs = lastSeen + retentionMs;
  return { expiresAt: Math.floor(expiresAtMs / 1000), expiresAtMs };
}

/** The stored item of a key (pk included). */
export function keyItem(pk: string, state: KeyState, retentionMs: number): Record<string, unknown> {
  const item: Record<string, unknown> = {
    pk,
    lastSeen: state.lastSeen,
    firstEventId: state.firstEventId,
    succeeded: state.succeeded,
    source: state.source,
    ...expiry(state.lastSeen, retentionMs),
  };
  if (state.firstSuccessEventId !== undefined) item.firstSuccessEventId = state.firstSuccessEventId;
  if (state.firstTime !== undefined) item.firstTime = state.firstTime;
  if (state.firstSuccessTime !== undefined) item.firstSuccessTime = state.firstSuccessTime;
  if (state.windowEventId !== undefined) item.windowEventId = state.windowEventId;
  if (state.windowPreviousSeen !== undefined) item.windowPreviousSeen = state.windowPreviousSeen;
  return item;
}

/** The KeyState of a stored item (absent optional attributes stay absent). */
export function keyState(item: Record<string, unknown>): KeyState {
  const state: KeyState = {
    lastSeen: Number(item.lastSeen),
    firstEventId: String(item.firstEventId),
    succeeded: item.succeeded === true,
    source: String(item.source) as ClaimSource,
  };
  if (typeof item.firstSuccessEventId === 'string') state.firstSuccessEventId = item.firstSuccessEventId;
  if (item.firstTime !== undefined) state.firstTime = Number(item.firstTime);
  if (item.firstSuccessTime !== undefined) state.firstSuccessTime = Number(item.firstSuccessTime);
  if (typeof item.windowEventId === 'string') state.windowEventId = item.windowEventId;
  if (item.windowPreviousSeen !== undefined) state.windowPreviousSeen = Number(item.windowPreviousSeen);
  return state;
}

/** True when the stored item is expired at `t` (the same test as EXPIRED_CONDITION). */
export function isExpired(item: Record<string, unknown>, t: number): boolean {
  return Number(item.expiresAtMs) < t;
}
