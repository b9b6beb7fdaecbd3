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
  /**
   * The call's user agent family and source network, as indexes into the profile's
   * `userAgents` and `networks` (append-only lists; indexes keep the item small). Absent when
   * the list had no room for it, or in profiles written before they were kept.
   */
  f?: number;
  n?: number;
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
  /**
   * Set when the actor made the change from a context new to it (a user agent family or
   * network it had not used before, or its very first call): what was new.
   */
  actorNewContext?: string;
}

/** Bounds (strings and lists) that keep every item and alert context small. */
export const MAX_RECENT = 20;
export const MAX_NETWORKS = 12;
export const MAX_REGIONS = 24;
export const MAX_USER_AGENTS = 12;
export const MAX_ACTION_CHARS = 200;
export const MAX_FACT_CHARS = 200;
export const MAX_EXPLANATION_CHARS = 400;

/**
 * Why this alert most likely happened, in priority order: the risk readings first, then the
 * benign ones (`iam-change`, `deployment`), which never lead for a sensitive action or a
 * `root/` principal.
 */
export type ExplanationReason =
  | 'denied'
  | 'first-success-after-denied'
  | 'privilege-escalation'
  | 'unusual-context'
  | 'sensitive-action'
  | 'iam-change'
  | 'deployment'
  | 'new-region'
  | 'new-bucket'
  | 'new-action';

/** The reasons that offer a benign reading of the alert. */
export const BENIGN_REASONS: readonly ExplanationReason[] = ['iam-change', 'deployment'];

/** The structured facts behind an explanation (all strings bounded). */
export interface ExplanationFacts {
  /** What the call does to defences or access (sensitive actions, `root/` principals). */
  effect?: string;
  baseline: { actions: number; knownSince: string };
  prevalence: { otherPrincipals: number; firstInOrganization: boolean };
  burst?: {
    newActions: number;
    windowMinutes: number;
    denied: number;
    /** The deployment tool every call of the burst came from, in its known context. */
    deploymentTool?: string;
  };
  iamChange?: {
    eventName: string;
    at: string;
    by: string;
    sessionName?: string;
    sourceIdentity?: string;
    policy?: string;
    /** The change was made by this principal itself. */
    self?: boolean;
    /** What was new in the actor's context, when it was. */
    actorNewContext?: string;
  };
  denied?: { errorCode: string };
  firstSuccessAfterDenied?: boolean;
  firstSuccessAfterFailure?: boolean;
  newRegion?: string;
  /** The new user agent family (`other:<product>` for an unrecognised agent). */
  unusualUserAgent?: string;
  /** The new user agent itself, bounded and inert, when its family is unrecognised. */
  unrecognisedUserAgent?: string;
  unusualNetwork?: string;
  /** The bucket of a `resource`-level alert: how many other principals touch it. */
  bucket?: { name: string; otherPrincipals: number; firstInOrganization: boolean };
  who: { sessionName?: string; sourceIdentity?: string };
}

/** The alert's `context`. */
export interface ExplanationContext {
  [key: string]: unknown;
  reason: ExplanationReason;
  explanation: string;
  facts: ExplanationFacts;
}
