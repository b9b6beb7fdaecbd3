import type { ObservedEvent } from '../../src/types';

/** A fixed origin for test times: 2024-01-01T00:00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

/** Epoch milliseconds `days` (may be fractional) after T0. */
export function day(days: number): number {
  return T0 + Math.round(days * DAY_MS);
}

export interface EventSpec {
  id: string;
  /** Days after T0 (fractional allowed). */
  at?: number;
  principal?: string;
  account?: string;
  region?: string;
  eventSource?: string;
  eventName?: string;
  /** Sets errorCode (and so `failed`). */
  errorCode?: string;
  identityType?: string;
  /** Sets requestParameters.bucketName (any JSON value, as an attacker could send). */
  bucket?: unknown;
}

/**
 * Builds an ObservedEvent directly (no decoding), the way the engine receives it from
 * decodeRecord. Defaults: role/deploy in 111122223333, us-east-1, s3:ListBuckets, succeeded.
 */
export function observed(spec: EventSpec): ObservedEvent {
  const time = day(spec.at ?? 0);
  const eventSource = spec.eventSource ?? 's3.amazonaws.com';
  const eventName = spec.eventName ?? 'ListBuckets';
  const account = spec.account ?? '111122223333';
  const principal = spec.principal ?? 'role/deploy';
  const region = spec.region ?? 'us-east-1';
  const e: ObservedEvent = {
    eventId: spec.id,
    eventTime: new Date(time).toISOString(),
    time,
    account,
    region,
    eventSource,
    eventName,
    action: `${eventSource}:${eventName}`,
    principal,
    identityType: spec.identityType ?? (principal.startsWith('root/') ? 'Root' : 'AssumedRole'),
    failed: spec.errorCode !== undefined && spec.errorCode !== '',
    record: { eventID: spec.id, eventSource, eventName, awsRegion: region },
  };
  if (spec.bucket !== undefined) e.record['requestParameters'] = { bucketName: spec.bucket };
  if (spec.errorCode !== undefined && spec.errorCode !== '') e.errorCode = spec.errorCode;
  return e;
}
