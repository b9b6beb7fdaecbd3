import { parseEventTime } from '@firstseen/core';
import type { ReplayFilters } from './objectKeys';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/**
 * True when a record (bare or in an envelope) is outside the filters: its account
 * (recipientAccountId, else userIdentity.accountId), awsRegion or eventTime. A field that is
 * missing or unreadable never filters a record out; validation reports it instead.
 */
export function outsideFilters(value: unknown, filters: ReplayFilters): boolean {
  const outer = obj(value);
  if (outer === undefined) return false;
  const record = 'detail-type' in outer ? obj(outer.detail) : outer;
  if (record === undefined) return false;
  if (filters.accounts?.length) {
    const account = str(record.recipientAccountId) ?? str(obj(record.userIdentity)?.accountId);
    if (account !== undefined && !filters.accounts.includes(account)) return true;
  }
  if (filters.regions?.length) {
    const region = str(record.awsRegion);
    if (region !== undefined && !filters.regions.includes(region)) return true;
  }
  if (filters.from !== undefined || filters.to !== undefined) {
    const eventTime = str(record.eventTime);
    const t = eventTime === undefined ? undefined : parseEventTime(eventTime);
    if (typeof t === 'number') {
      if (filters.from !== undefined && t < filters.from) return true;
      if (filters.to !== undefined && t >= filters.to) return true;
    }
  }
  return false;
}
