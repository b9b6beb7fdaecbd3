/** One new action (role-level claim) of a principal, kept in its profile's bounded recent list. */
export interface RecentAction {
  /** Event time, epoch ms. */
  t: number;
  /** eventID of the claiming event (makes counting idempotent under redelivery). */
  e: string;
  /** The action, `<eventSource>:<eventName>` (bounded). */
  a: string;
  /** The claiming call was denied. */
  d: boolean;
}

/** A user agent family or network and when this principal first used it (epoch ms). */
export interface Sighting {
  k: string;
  t: number;
}

/**
 * What explanations remember about a principal (the `x#<principal>` item). Written only when
 * something is new: a role-level claim, a user agent family, network or region not seen before.
 */
export interface PrincipalProfile {
  /** Optimistic-concurrency version, incremented by every write. */
  version: number;
  /** Distinct actions (role-level claims counted since explanations were on). */
  actionCount: number;
  /** The most recent new actions, oldest first, at most MAX_RECENT. */
  recent: RecentAction[];
  /** User agent families seen (see userAgentFamily), each with its first sighting. */
  userAgents: Sighting[];
  /** Source networks seen (see sourceNetwork), each with its first sighting; at most MAX_NETWORKS. */
  networks: Sighting[];
  /** More networks than MAX_NETWORKS were seen: a new one is not unusual for this principal. */
  networksSaturated: boolean;
  /** Regions seen, at most MAX_REGIONS. */
  regions: string[];
}

/** A change of a principal's permissions (the `i#<principal>` item holds the latest). */
export interface IamChange {
  /** The principal whose permissions changed (canonical form, e.g. `role/payments-api`). */
  target: string;
  eventName: string;
  eventId: string;
  /** Epoch ms. */
  time: number;
  eventTime: string;
  /** The actor's canonical principal. */
  actor: string;
  actorSessionName?: string;
  actorSourceIdentity?: string;
  /** policyArn or policyName from the request, when given. */
  policy?: string;
}

/** Bounds (strings and lists) that keep every item and alert context small. */
export const MAX_RECENT = 20;
export const MAX_NETWORKS = 12;
export const MAX_REGIONS = 24;
export const MAX_USER_AGENTS = 8;
export const MAX_ACTION_CHARS = 200;
export const MAX_FACT_CHARS = 200;
export const MAX_EXPLANATION_CHARS = 400;

/** Why this alert most likely happened, in priority order. */
export type ExplanationReason =
  | 'denied'
  | 'first-success-after-denied'
  | 'iam-change'
  | 'deployment'
  | 'new-region'
  | 'unusual-context'
  | 'new-action';

/** The structured facts behind an explanation (all strings bounded). */
export interface ExplanationFacts {
  baseline: { actions: number; knownSince: string };
  prevalence: { otherPrincipals: number; firstInOrganization: boolean };
  burst?: { newActions: number; windowMinutes: number; denied: number };
  iamChange?: {
    eventName: string;
    at: string;
    by: string;
    sessionName?: string;
    sourceIdentity?: string;
    policy?: string;
  };
  denied?: { errorCode: string };
  firstSuccessAfterDenied?: boolean;
  firstSuccessAfterFailure?: boolean;
  newRegion?: string;
  unusualUserAgent?: string;
  unusualNetwork?: string;
  who: { sessionName?: string; sourceIdentity?: string };
}

/** The alert's `context`. */
export interface ExplanationContext {
  [key: string]: unknown;
  reason: ExplanationReason;
  explanation: string;
  facts: ExplanationFacts;
}
