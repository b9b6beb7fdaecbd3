/**
 * Domain types shared by every firstseen package. docs/semantics.md ("Normative semantics") is the
 * source of truth for what each field means.
 */

import { type ClaimSource, type Level, LevelSchema } from './alert';

export type { Alert, AlertContext, ClaimSource, Level, Severity } from './alert';

/** The levels that own a key in the baseline table. */
export type KeyLevel = Exclude<Level, 'window'>;

export const LEVELS: readonly Level[] = LevelSchema.options;
export const KEY_LEVELS: readonly KeyLevel[] = ['account', 'role', 'region', 'resource'];

/** A valid CloudTrail event by an observed principal, reduced to what detection uses. */
export interface ObservedEvent {
  eventId: string;
  /** eventTime exactly as the record gave it. */
  eventTime: string;
  /** eventTime in epoch milliseconds. */
  time: number;
  account: string;
  region: string;
  eventSource: string;
  eventName: string;
  /** `<eventSource>:<eventName>`, verbatim. */
  action: string;
  /** Canonical principal, e.g. `role/deploy`, `sso/AdministratorAccess`, `user/111122223333/alice`. */
  principal: string;
  /** userIdentity.type as given (AssumedRole, IAMUser, Root, ...). */
  identityType: string;
  /** The call failed: errorCode is a non-empty string. */
  failed: boolean;
  errorCode?: string;
  errorMessage?: string;
  /** readOnly as a boolean when the record says so (a string "true"/"false" is accepted). */
  readOnly?: boolean;
  /** Role session name (last segment of an assumed-role ARN), when there is one. */
  sessionName?: string;
  sourceIdentity?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  /** The CloudTrail record itself, untouched (attacker-controlled: never trust its strings). */
  record: Record<string, unknown>;
}

/** Why a record was ignored (valid, but nothing to learn). */
export type IgnoreReason =
  | 'detail-type'
  | 'untrusted-source'
  | 'insight'
  | 'service-linked-role'
  | 'aws-service'
  | 'aws-account'
  | 'unknown-identity'
  | 'no-identity'
  | 'no-identity-type'
  | 'unsupported-identity-type'
  | 'principal-not-derivable'
  | 'no-account'
  | 'ignore-rule'
  | 'read-only';

/** Why a record was invalid (quarantined, never retried). */
export type InvalidReason =
  | 'bad-encoding'
  | 'bad-gzip'
  | 'bad-json'
  | 'not-object'
  | 'too-large'
  | 'missing-eventSource'
  | 'missing-eventName'
  | 'missing-awsRegion'
  | 'missing-eventID'
  | 'missing-eventTime'
  | 'bad-eventTime';

export type Decoded =
  | {
      outcome: 'observed';
      event: ObservedEvent;
      /** An EventBridge envelope whose `account` differs from the record's `recipientAccountId`. */
      accountMismatch?: { envelope: string; recipient: string };
    }
  | {
      outcome: 'ignored';
      reason: IgnoreReason;
      eventId?: string;
      detail?: string;
      /** The envelope's `account` (bounded), for `untrusted-source`. */
      envelopeAccount?: string;
    }
  | { outcome: 'invalid'; reason: InvalidReason; detail?: string };

/** The state of one level key (docs/semantics.md "Levels and keys"). Times are epoch milliseconds. */
export interface KeyState {
  lastSeen: number;
  firstEventId: string;
  succeeded: boolean;
  firstSuccessEventId?: string;
  /** eventTime (epoch ms) of firstEventId's sighting: orders sharded seeds (docs/semantics.md "Sharded seed"). */
  firstTime?: number;
  /** eventTime (epoch ms) of firstSuccessEventId's sighting. */
  firstSuccessTime?: number;
  windowEventId?: string;
  /** lastSeen as it was before the `window` return by windowEventId (for its alert's previousSeen). */
  windowPreviousSeen?: number;
  source: ClaimSource;
}

/** One level key of one event: the store key and the level it belongs to. */
export interface LevelKey {
  level: KeyLevel;
  /** The partition key in the baseline table, e.g. `account#111122223333#role/deploy#s3.amazonaws.com:GetObject`. */
  pk: string;
}
