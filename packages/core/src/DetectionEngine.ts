import { LRUCache } from 'lru-cache';
import type { BaselineStore } from './BaselineStore';
import type { Config } from './config';
import { extractEvidence } from './evidence';
import { matchesAnyGlob } from './glob';
import { bucketOf, DAY_MS, levelKeys, REFRESH_DAYS, resourceKey } from './levelKeys';
import { type NoAlertReason, suppressionReason } from './noAlertReason';
import { offensiveUserAgent } from './offensiveUserAgent';
import type { Suppression } from './suppression';
import type {
  Alert,
  AlertContext,
  ClaimSource,
  KeyState,
  Level,
  LevelKey,
  ObservedEvent,
  Severity,
} from './types';
import { LEVELS } from './types';

/** What the engine decided for one event. */
export interface Detection {
  eventId: string;
  /** Levels that fired (enabled levels only), in docs/semantics.md's order. */
  fired: Level[];
  /** The alert, when at least one level fired and the policy kept it. */
  alert?: Alert;
  /** Why fired levels produced no alert. */
  suppressed?: 'burn-in' | 'seed' | 'suppression';
  /**
   * Why there is no alert, as data (noAlertReason.ts): `known` when no level fired, else what
   * held the alert back (burn-in until when, the suppression that matched, a seed). Absent when
   * there is an alert.
   */
  why?: NoAlertReason;
  /** A level fired because this event is the first success after failed calls. */
  firstSuccessAfterFailure: boolean;
  /** The role key's lastSeen before a `window` return (epoch ms). */
  previousSeen?: number;
  /** The principal's first sighting as known after this event (epoch ms). */
  firstSighting: number;
  /** Store operations this event cost (cache hits cost none). */
  storeRequests: number;
  /** Keys answered from the cache without a store request. */
  cacheHits: number;
}

/** Computes an alert's `context` (the explain feature). Must not throw for odd input. */
export type ContextProvider = (input: {
  event: ObservedEvent;
  detection: Detection;
  source: ClaimSource;
  /** The action is on the configured sensitive list. */
  sensitive: boolean;
}) => Promise<AlertContext> | AlertContext;

/**
 * Sees every observed event once the engine has evaluated its keys (before burn-in, seed and
 * suppression decide about the alert), so that a feature can keep its own state on first
 * occurrences (the explain feature's counters). Called before the context provider.
 */
export type EventObserver = (input: {
  event: ObservedEvent;
  detection: Detection;
  source: ClaimSource;
}) => Promise<void> | void;

/**
 * Decides whether an otherwise-kept alert is suppressed by a triage decision; `sensitive` says
 * the action is on the configured sensitive list (docs/semantics.md: such an alert is only silenced by a
 * suppression naming its action). Returns the suppression that matched (so the detection can
 * say which), `true` when the check cannot say which, else false or undefined.
 */
export type SuppressionCheck = (
  event: ObservedEvent,
  facts: { sensitive: boolean },
) => Promise<Suppression | boolean | undefined> | Suppression | boolean | undefined;

export interface KeyCacheOptions {
  /** Most keys held (default 200,000). */
  maxKeys?: number;
  /** Approximate memory bound in bytes (default 128 MiB). */
  maxBytes?: number;
}

/** The cache of keys known to exist, with their state; it never holds an absent key. */
export type KeyCache = LRUCache<string, KeyState>;

export function createKeyCache(options: KeyCacheOptions = {}): KeyCache {
  return new LRUCache<string, KeyState>({
    max: options.maxKeys ?? 200_000,
    maxSize: options.maxBytes ?? 128 * 1024 * 1024,
    // Rough V8 footprint: the key string (2 bytes/char worst case) plus the state object.
    sizeCalculation: (state, pk) => 2 * pk.length + 2 * state.firstEventId.length + 160,
  });
}

export interface DetectionEngineOptions {
  store: BaselineStore;
  config: Config;
  /** Cache of keys known to exist; `false` disables it. Default: a new bounded cache. */
  cache?: KeyCache | false;
  /** Most principals whose first sighting is cached (default 100,000). */
  maxPrincipals?: number;
  context?: ContextProvider;
  /** Called for every observed event (see EventObserver); an error it throws fails detect(). */
  observer?: EventObserver;
  suppressed?: SuppressionCheck;
}

interface KeyOutcome {
  fired: boolean;
  firstSuccess: boolean;
  window: boolean;
  previousSeen?: number;
  requests: number;
  cacheHit: boolean;
}

const MAX_CAS_ATTEMPTS = 8;

// Shared, frozen: most events are already known, so their reason costs no allocation.
const KNOWN: NoAlertReason = Object.freeze({ code: 'known' });
const SEED: NoAlertReason = Object.freeze({ code: 'seed' });

/**
 * The one code path that decides "is this new" (docs/semantics.md steps 1-5, burn-in, severity).
 * Safe to call concurrently for events of different principals; events of one principal
 * must be given in arrival order, one at a time, so that the first in a batch claims.
 */
export class DetectionEngine {
  private readonly store: BaselineStore;
  private readonly config: Config;
  private readonly cache: KeyCache | undefined;
  // A plain bounded Map (oldest insertion evicted): an LRUCache preallocates `max` slots, which
  // costs tens of milliseconds per engine at this size.
  private readonly sightingCache = new Map<string, number>();
  private readonly maxPrincipals: number;
  private readonly contextProvider: ContextProvider | undefined;
  private readonly observer: EventObserver | undefined;
  private readonly suppressedCheck: SuppressionCheck | undefined;
  private readonly retentionMs: number;
  private readonly windowMs: number;
  private readonly burnInMs: number;
  private readonly sensitive: Set<string>;

  constructor(options: DetectionEngineOptions) {
    this.store = options.store;
    this.config = options.config;
    this.cache = options.cache === false ? undefined : (options.cache ?? createKeyCache());
    this.maxPrincipals = options.maxPrincipals ?? 100_000;
    this.contextProvider = options.context;
    this.observer = options.observer;
    this.suppressedCheck = options.suppressed;
    this.retentionMs = this.config.retentionDays * DAY_MS;
    this.windowMs = this.config.windowDays * DAY_MS;
    this.burnInMs = this.config.burnInDays * DAY_MS;
    this.sensitive = new Set(this.config.sensitiveActions);
  }

  /** True when the action is on the configured sensitive list. */
  isSensitive(action: string): boolean {
    return this.sensitive.has(action);
  }

  /**
   * Is this event new? (docs/semantics.md "Detection".) In order: which level keys the event
   * has, which of them fire (claims and transitions in the store, the principal's sighting),
   * why a firing event does not alert (known, seed, burn-in, suppression), and the alert.
   */
  async detect(event: ObservedEvent, source: ClaimSource = 'live'): Promise<Detection> {
    const { keys, bucket, windowOn } = this.keysOf(event);
    const { detection, sightingCached } = await this.fire(event, source, keys, windowOn);
    if (this.observer) await this.observer({ event, detection, source });
    const sensitive = this.isSensitive(event.action);
    const why = await this.reasonNotToAlert(event, source, detection, sightingCached, sensitive);
    if (why !== undefined) detection.why = why;
    else detection.alert = await this.alertOf(event, source, detection, bucket, sensitive);
    return detection;
  }

  /** The event's level keys under the config (the role key also carries the window level). */
  private keysOf(event: ObservedEvent): { keys: LevelKey[]; bucket: string | undefined; windowOn: boolean } {
    const levels = this.config.levels;
    const windowOn = levels.window && this.config.windowDays > 0;
    const keys = levelKeys(event).filter((k) => levels[k.level] || (k.level === 'role' && windowOn));
    // The opt-in `resource` level: only its key's own checks run (no window on it).
    const bucket = levels.resource ? bucketOf(event) : undefined;
    if (bucket !== undefined) keys.push(resourceKey(event.principal, bucket));
    return { keys, bucket, windowOn };
  }

  /** Every key's transition and the principal's sighting, concurrently; which levels fired. */
  private async fire(
    event: ObservedEvent,
    source: ClaimSource,
    keys: LevelKey[],
    windowOn: boolean,
  ): Promise<{ detection: Detection; sightingCached: boolean }> {
    const levels = this.config.levels;
    const [sighting, ...outcomes] = await Promise.all([
      this.recordSighting(event.principal, event.time, false),
      ...keys.map((k) => this.evaluateKey(k, event, source, windowOn)),
    ]);

    let firstSuccessAfterFailure = false;
    let previousSeen: number | undefined;
    let storeRequests = sighting.requests;
    let cacheHits = 0;
    const firedSet = new Set<Level>();
    keys.forEach((k, i) => {
      const o = outcomes[i]!;
      storeRequests += o.requests;
      if (o.cacheHit) cacheHits++;
      if (o.fired && levels[k.level]) {
        firedSet.add(k.level);
        if (o.firstSuccess) firstSuccessAfterFailure = true;
      }
      if (o.window) {
        firedSet.add('window');
        previousSeen = o.previousSeen;
      }
    });
    const detection: Detection = {
      eventId: event.eventId,
      // the specification's order (account, role, region, window, resource), whatever order the keys finished in.
      fired: LEVELS.filter((l) => firedSet.has(l)),
      firstSuccessAfterFailure,
      firstSighting: sighting.firstSighting,
      storeRequests,
      cacheHits,
    };
    if (previousSeen !== undefined) detection.previousSeen = previousSeen;
    return { detection, sightingCached: sighting.cached };
  }

  /**
   * Why an event does not alert, or undefined when it does: nothing fired (known), a seed,
   * the principal's burn-in (not for sensitive actions), a triage suppression. Sets
   * `detection.suppressed` for the last three.
   */
  private async reasonNotToAlert(
    event: ObservedEvent,
    source: ClaimSource,
    detection: Detection,
    sightingCached: boolean,
    sensitive: boolean,
  ): Promise<NoAlertReason | undefined> {
    if (detection.fired.length === 0) return KNOWN;
    if (source === 'seed') {
      detection.suppressed = 'seed';
      return SEED;
    }
    if (this.burnInMs > 0 && !sensitive) {
      let first = detection.firstSighting;
      if (event.time < first + this.burnInMs && sightingCached) {
        // The cached first sighting may be later than the stored one (another consumer saw an
        // earlier, late-arriving event): ask the store before suppressing.
        const fresh = await this.recordSighting(event.principal, event.time, true);
        first = fresh.firstSighting;
        detection.storeRequests += fresh.requests;
        detection.firstSighting = first;
      }
      if (event.time < first + this.burnInMs) {
        detection.suppressed = 'burn-in';
        return {
          code: 'burn-in',
          firstSighting: new Date(first).toISOString(),
          until: new Date(first + this.burnInMs).toISOString(),
        };
      }
    }
    const matched = this.suppressedCheck ? await this.suppressedCheck(event, { sensitive }) : undefined;
    if (matched) {
      detection.suppressed = 'suppression';
      return matched === true ? { code: 'suppression' } : suppressionReason(matched);
    }
    return undefined;
  }

  /** The alert: the event's fields, its evidence and context, then the severity rules. */
  private async alertOf(
    event: ObservedEvent,
    source: ClaimSource,
    detection: Detection,
    bucket: string | undefined,
    sensitive: boolean,
  ): Promise<Alert> {
    const { fired, firstSuccessAfterFailure, previousSeen } = detection;
    const alert: Alert = {
      alertId: event.eventId,
      eventId: event.eventId,
      eventTime: event.eventTime,
      principal: event.principal,
      account: event.account,
      region: event.region,
      action: event.action,
      levels: fired,
      severity: this.config.defaultSeverity,
      severityRule: 'defaultSeverity',
      identityType: event.identityType,
      source,
      evidence: extractEvidence(event.record),
      context: {},
    };
    if (sensitive) alert.sensitive = true;
    if (firstSuccessAfterFailure) alert.firstSuccessAfterFailure = true;
    if (event.sessionName !== undefined) alert.sessionName = event.sessionName;
    if (event.sourceIdentity !== undefined) alert.sourceIdentity = event.sourceIdentity;
    if (event.sourceIPAddress !== undefined) alert.sourceIPAddress = event.sourceIPAddress;
    if (event.userAgent !== undefined) alert.userAgent = event.userAgent;
    if (event.errorCode !== undefined) alert.errorCode = event.errorCode;
    if (bucket !== undefined) alert.resource = `s3:${bucket}`;
    if (previousSeen !== undefined) alert.previousSeen = new Date(previousSeen).toISOString();
    if (this.contextProvider) {
      alert.context = await this.contextProvider({ event, detection, source, sensitive });
    }
    // After the context: rules may look at what the explanation found (docs/semantics.md).
    const decided = this.severity(event, fired, firstSuccessAfterFailure, sensitive, alert.context);
    alert.severity = decided.severity;
    alert.severityRule = decided.rule;
    return alert;
  }

  /**
   * Severity per the config's rules: the first rule whose every condition holds wins; `rule`
   * names it (its `name`, else `severityRules[<index>]`, else `defaultSeverity`).
   */
  severity(
    event: ObservedEvent,
    fired: Level[],
    firstSuccessAfterFailure: boolean,
    sensitive: boolean,
    context: AlertContext = {},
  ): { severity: Severity; rule: string } {
    const signals = contextSignals(context);
    let offensive: boolean | undefined;
    const rules = this.config.severityRules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.sensitive !== undefined && rule.sensitive !== sensitive) continue;
      if (
        rule.firstSuccessAfterFailure !== undefined &&
        rule.firstSuccessAfterFailure !== firstSuccessAfterFailure
      )
        continue;
      if (rule.principals && !matchesAnyGlob(event.principal, rule.principals)) continue;
      if (rule.actions && !matchesAnyGlob(event.action, rule.actions)) continue;
      if (rule.levels && !rule.levels.some((l) => fired.includes(l))) continue;
      if (rule.offensiveUserAgent !== undefined) {
        offensive ??= offensiveUserAgent(event.userAgent) !== undefined;
        if (rule.offensiveUserAgent !== offensive) continue;
      }
      if (rule.deniedBurst !== undefined && signals.deniedBurst < rule.deniedBurst) continue;
      if (rule.newContext !== undefined && rule.newContext !== signals.newContext) continue;
      return { severity: rule.severity, rule: rule.name ?? `severityRules[${i}]` };
    }
    return { severity: this.config.defaultSeverity, rule: 'defaultSeverity' };
  }

  private async recordSighting(
    principal: string,
    time: number,
    fresh: boolean,
  ): Promise<{ firstSighting: number; requests: number; cached: boolean }> {
    const cached = this.sightingCache.get(principal);
    if (!fresh && cached !== undefined && cached <= time) {
      return { firstSighting: cached, requests: 0, cached: true };
    }
    const first = await this.store.recordSighting(principal, time);
    if (!this.sightingCache.has(principal) && this.sightingCache.size >= this.maxPrincipals) {
      const oldest = this.sightingCache.keys().next();
      if (!oldest.done) this.sightingCache.delete(oldest.value);
    }
    this.sightingCache.set(principal, first);
    return { firstSighting: first, requests: 1, cached: false };
  }

  private remember(key: LevelKey, state: KeyState | undefined): void {
    if (this.cache && state) {
      const prev = this.cache.get(key.pk);
      // Keep the freshest view: lastSeen and succeeded only ever move forward.
      if (prev && prev.lastSeen > state.lastSeen) return;
      this.cache.set(key.pk, state);
    }
  }

  private async evaluateKey(
    key: LevelKey,
    e: ObservedEvent,
    source: ClaimSource,
    windowOn: boolean,
  ): Promise<KeyOutcome> {
    const out: KeyOutcome = {
      fired: false,
      firstSuccess: false,
      window: false,
      requests: 0,
      cacheHit: false,
    };
    const retentionMs = this.retentionMs;

    // Step 1: claim. A cached state answers for the store when the key cannot have expired.
    let state: KeyState;
    const cached = this.cache?.get(key.pk);
    if (cached !== undefined && cached.lastSeen + retentionMs >= e.time) {
      state = cached;
      out.cacheHit = true;
    } else {
      out.requests++;
      const c = await this.store.claim({
        key,
        eventId: e.eventId,
        time: e.time,
        failed: e.failed,
        source,
        retentionMs,
      });
      this.remember(key, c.state);
      if (c.claimed) {
        out.fired = true;
        return out;
      }
      state = c.state;
    }

    // Step 2: idempotent re-claim (a redelivery of the claiming event, same source).
    if (state.firstEventId === e.eventId && state.source === source) {
      out.fired = true;
      return out;
    }

    // Step 3: first success after failed calls.
    if (!e.failed) {
      if (state.firstSuccessEventId === e.eventId && state.firstEventId !== e.eventId) {
        out.fired = true;
        out.firstSuccess = true;
      } else if (!state.succeeded) {
        out.requests++;
        const r = await this.store.markSucceeded(key, e.eventId, e.time, retentionMs);
        this.remember(key, r.state);
        if (r.applied || r.state?.firstSuccessEventId === e.eventId) {
          out.fired = true;
          out.firstSuccess = true;
        }
        if (r.state) state = r.state;
      }
    }

    // Step 4: window return (role key only), a compare-and-set on the lastSeen we read.
    if (key.level === 'role' && windowOn) {
      for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
        if (state.windowEventId === e.eventId) {
          out.window = true;
          out.previousSeen = state.windowPreviousSeen;
          break;
        }
        if (!(e.time - state.lastSeen > this.windowMs)) break;
        out.requests++;
        const r = await this.store.windowReturn(key, state.lastSeen, e.eventId, e.time, retentionMs);
        this.remember(key, r.state);
        if (r.applied) {
          out.window = true;
          out.previousSeen = state.lastSeen;
          state = r.state;
          break;
        }
        if (!r.state) break;
        state = r.state;
      }
    }

    // Step 5: refresh, never backwards. The store re-checks the interval against the stored
    // lastSeen, since `state` may come from a cache that another consumer has overtaken.
    const intervalMs = REFRESH_DAYS[key.level] * DAY_MS;
    if (!out.window && e.time - state.lastSeen >= intervalMs) {
      out.requests++;
      const r = await this.store.refresh(key, e.time, retentionMs, intervalMs);
      this.remember(key, r.state);
    }
    return out;
  }
}

/**
 * What severity rules read from an alert's context, i.e. the explain feature's facts
 * (packages/explain): `facts.burst.denied` (denied new calls in the principal's current burst)
 * and `facts.unusualUserAgent` / `facts.unusualNetwork` (a context new to the principal). An
 * empty or odd context yields no signal, so these rules never match without explanations.
 */
function contextSignals(context: AlertContext): { deniedBurst: number; newContext: boolean } {
  const facts = context['facts'];
  if (facts === null || typeof facts !== 'object') return { deniedBurst: 0, newContext: false };
  const f = facts as Record<string, unknown>;
  const burst = f['burst'];
  const denied =
    burst !== null && typeof burst === 'object' ? (burst as Record<string, unknown>)['denied'] : undefined;
  const present = (v: unknown) => typeof v === 'string' && v !== '';
  return {
    deniedBurst: typeof denied === 'number' && Number.isFinite(denied) ? denied : 0,
    newContext: present(f['unusualUserAgent']) || present(f['unusualNetwork']),
  };
}
