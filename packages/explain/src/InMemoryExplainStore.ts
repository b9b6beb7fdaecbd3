import type { AlertFacts, ExplainStore } from './ExplainStore';
import type { IamChange, PrincipalProfile } from './types';

/** The ExplainStore in process memory (tests, replay simulate). Same semantics as DynamoDB's. */
export class InMemoryExplainStore implements ExplainStore {
  private readonly profiles = new Map<string, PrincipalProfile>();
  private readonly counters = new Map<string, number>();
  private readonly changes = new Map<string, IamChange>();
  private readonly bucketPrincipals = new Map<string, Set<string>>();
  /** Requests served, by method (what the DynamoDB implementation would have sent). */
  readonly counts = {
    getProfile: 0,
    putProfile: 0,
    recordIamChange: 0,
    readAlertFacts: 0,
    countBucketPrincipal: 0,
  };

  get requests(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  async getProfile(principal: string): Promise<PrincipalProfile | undefined> {
    this.counts.getProfile++;
    const p = this.profiles.get(principal);
    return p && structuredClone(p);
  }

  async putProfile(
    principal: string,
    profile: PrincipalProfile,
    expectedVersion: number | undefined,
    countAction?: string,
  ): Promise<boolean> {
    this.counts.putProfile++;
    const stored = this.profiles.get(principal);
    if (stored?.version !== expectedVersion) return false;
    this.profiles.set(principal, structuredClone(profile));
    if (countAction !== undefined) this.counters.set(countAction, (this.counters.get(countAction) ?? 0) + 1);
    return true;
  }

  async recordIamChange(change: IamChange): Promise<void> {
    this.counts.recordIamChange++;
    const stored = this.changes.get(change.target);
    if (stored === undefined || stored.time <= change.time) this.changes.set(change.target, { ...change });
  }

  async countBucketPrincipal(bucket: string, principal: string): Promise<void> {
    this.counts.countBucketPrincipal++;
    let set = this.bucketPrincipals.get(bucket);
    if (set === undefined) {
      set = new Set();
      this.bucketPrincipals.set(bucket, set);
    }
    set.add(principal);
  }

  async readAlertFacts(principal: string, action: string, bucket?: string): Promise<AlertFacts> {
    this.counts.readAlertFacts++;
    const facts: AlertFacts = { prevalence: this.counters.get(action) ?? 0 };
    if (bucket !== undefined) facts.bucketPrevalence = this.bucketPrincipals.get(bucket)?.size ?? 0;
    const change = this.changes.get(principal);
    if (change) facts.iamChange = { ...change };
    return facts;
  }

  /** The prevalence counter of an action (tests; not counted as a request). */
  prevalenceOf(action: string): number {
    return this.counters.get(action) ?? 0;
  }
}
