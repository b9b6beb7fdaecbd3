import type {
  BaselineStore,
  CasResult,
  ClaimRequest,
  ClaimResult,
  KeyState,
  LevelKey,
} from '@firstseen/core';
import { BenchmarkError } from './errors';

/** Store methods, each of which DynamoBaselineStore implements with exactly one DynamoDB request. */
export type StoreMethod =
  | 'claim'
  | 'markSucceeded'
  | 'windowReturn'
  | 'refresh'
  | 'recordSighting'
  | 'getKey';

/**
 * A BaselineStore that counts one DynamoDB request per method call and passes the call on
 * (normally to InMemoryBaselineStore). DynamoBaselineStore sends exactly one request per call of
 * these methods (seedKey, which may send several, is not on the detector's path and throws
 * here), so the count is what the detector would send; the benchmark checks that once against
 * DynamoDB Local. It also remembers every key a claim created, with the claim's time.
 */
export class CountingBaselineStore implements BaselineStore {
  readonly counts: Record<StoreMethod, number> = {
    claim: 0,
    markSucceeded: 0,
    windowReturn: 0,
    refresh: 0,
    recordSighting: 0,
    getKey: 0,
  };
  /** pk -> time (epoch ms) of the claim that created it; only when `trackClaims`. */
  readonly claims = new Map<string, number>();

  constructor(
    private readonly inner: BaselineStore,
    private readonly trackClaims = false,
  ) {}

  get requests(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  async claim(req: ClaimRequest): Promise<ClaimResult> {
    this.counts.claim++;
    const r = await this.inner.claim(req);
    if (this.trackClaims && r.claimed) this.claims.set(req.key.pk, req.time);
    return r;
  }

  markSucceeded(key: LevelKey, eventId: string, time: number, retentionMs: number): Promise<CasResult> {
    this.counts.markSucceeded++;
    return this.inner.markSucceeded(key, eventId, time, retentionMs);
  }

  windowReturn(
    key: LevelKey,
    expectedLastSeen: number,
    eventId: string,
    time: number,
    retentionMs: number,
  ): Promise<CasResult> {
    this.counts.windowReturn++;
    return this.inner.windowReturn(key, expectedLastSeen, eventId, time, retentionMs);
  }

  refresh(key: LevelKey, time: number, retentionMs: number, intervalMs: number): Promise<CasResult> {
    this.counts.refresh++;
    return this.inner.refresh(key, time, retentionMs, intervalMs);
  }

  recordSighting(principal: string, time: number): Promise<number> {
    this.counts.recordSighting++;
    return this.inner.recordSighting(principal, time);
  }

  async seedKey(): Promise<void> {
    throw new BenchmarkError('seedKey is not on the detector path and is not counted');
  }

  getKey(key: LevelKey, now?: number): Promise<KeyState | undefined> {
    this.counts.getKey++;
    return this.inner.getKey(key, now);
  }
}
