import type { IamChange, PrincipalProfile } from './types';

/** What an alert's explanation reads from the store in one request. */
export interface AlertFacts {
  /** Principals counted for the action (role-level claims), this one included when counted. */
  prevalence: number;
  /** The latest permission change of the principal, if any. */
  iamChange?: IamChange;
  /** Principals counted for the bucket asked for (resource-level claims), this one included when counted. */
  bucketPrevalence?: number;
}

/**
 * The explanations' state. Every method is one store request (the DynamoDB implementation
 * sends exactly one), so callers can count cost by counting calls. Written only on first
 * occurrences and rare events; never per ordinary event.
 */
export interface ExplainStore {
  /** The principal's profile, or undefined when none is stored. */
  getProfile(principal: string): Promise<PrincipalProfile | undefined>;
  /**
   * Writes the profile when the stored version is `expectedVersion` (undefined: no profile yet)
   * and, in the same atomic write, adds 1 to `countAction`'s prevalence counter when given.
   * Returns false, writing nothing, when the condition fails.
   */
  putProfile(
    principal: string,
    profile: PrincipalProfile,
    expectedVersion: number | undefined,
    countAction?: string,
  ): Promise<boolean>;
  /** Keeps the change as the target's latest unless a later one is stored. */
  recordIamChange(change: IamChange): Promise<void>;
  /**
   * Counts the principal among the bucket's principals, once per (bucket, principal) however
   * often it is called (redeliveries, concurrent consumers).
   */
  countBucketPrincipal(bucket: string, principal: string): Promise<void>;
  /**
   * The action's prevalence counter and the principal's latest permission change, and when
   * `bucket` is given the bucket's prevalence counter, in one request.
   */
  readAlertFacts(principal: string, action: string, bucket?: string): Promise<AlertFacts>;
}
