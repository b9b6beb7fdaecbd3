import {
  type AlertContext,
  bucketOf,
  type ClaimSource,
  type Detection,
  type ObservedEvent,
} from '@firstseen/core';
import { actionEffect } from './actionEffect';
import { bounded, inert } from './bounded';
import { isDeniedCall } from './deniedCall';
import { type AlertEvidence, describeAlert } from './describeAlert';
import type { ExplainStore } from './ExplainStore';
import { ProfileConflictError } from './errors';
import { iamChangeOf } from './iamChange';
import { sourceNetwork } from './sourceNetwork';
import {
  MAX_ACTION_CHARS,
  MAX_FACT_CHARS,
  MAX_NETWORKS,
  MAX_RECENT,
  MAX_REGIONS,
  MAX_USER_AGENTS,
  type PrincipalProfile,
  type RecentAction,
  type Sighting,
} from './types';
import { isDeploymentTool, isUnrecognised, userAgentFamily } from './userAgentFamily';

export interface ExplainerOptions {
  store: ExplainStore;
  /** New actions within this many minutes form a burst (default 10). */
  burstWindowMinutes?: number;
  /** New actions (this one included) that make a burst (default 3). */
  burstMinActions?: number;
  /** How far back a permission change explains a new action (default 24 hours). */
  iamChangeLookbackMs?: number;
  /** A user agent family or network first used less than this long ago is unfamiliar (default 24 hours). */
  unfamiliarMs?: number;
  /** Most principals whose profile is cached (default 20,000). */
  maxProfiles?: number;
}

/** What observe() learnt about an event that fired, for its alert's context. */
interface Observation {
  profile: PrincipalProfile | undefined;
  newRegion: boolean;
}

const HOUR_MS = 3_600_000;
/** How much of an unrecognised user agent an explanation quotes. */
const MAX_QUOTED_AGENT_CHARS = 80;
const MAX_CONFLICT_RETRIES = 8;
// observe() runs just before the context provider for the same event; this only bounds memory
// when alerts are suppressed (burn-in, seed) and their observations are never taken.
const MAX_PENDING = 1_000;

const emptyProfile = (): PrincipalProfile => ({
  version: 0,
  actionCount: 0,
  recent: [],
  userAgents: [],
  networks: [],
  networksSaturated: false,
  regions: [],
});

/**
 * Explains alerts. `observe` (the engine's `observer`) sees every event and writes to the
 * store only when something is new for the principal: a role-level claim (its distinct-action
 * count, recent new actions and the action's prevalence counter, in one atomic write), a user
 * agent family, network or region; and records permission changes. A per-process cache of
 * profiles makes an ordinary event cost no request. `context` (the engine's `context`) reads
 * the action's counter and the principal's latest permission change in one request and picks
 * the most likely explanation.
 */
export class Explainer {
  private readonly store: ExplainStore;
  private readonly burstWindowMs: number;
  private readonly burstWindowMinutes: number;
  private readonly burstMinActions: number;
  private readonly iamLookbackMs: number;
  private readonly unfamiliarMs: number;
  private readonly maxProfiles: number;
  // null: loaded, none stored. Insertion order doubles as eviction order.
  private readonly profiles = new Map<string, PrincipalProfile | null>();
  private readonly pending = new Map<string, Observation>();
  /** Store requests this explainer has sent (each ExplainStore call is one request). */
  requests = 0;

  constructor(options: ExplainerOptions) {
    this.store = options.store;
    this.burstWindowMinutes = options.burstWindowMinutes ?? 10;
    this.burstWindowMs = this.burstWindowMinutes * 60_000;
    this.burstMinActions = options.burstMinActions ?? 3;
    this.iamLookbackMs = options.iamChangeLookbackMs ?? 24 * HOUR_MS;
    this.unfamiliarMs = options.unfamiliarMs ?? 24 * HOUR_MS;
    this.maxProfiles = options.maxProfiles ?? 20_000;
  }

  /** The engine's `observer`. Errors (store failures) propagate: the batch is retried. */
  readonly observe = async (input: {
    event: ObservedEvent;
    detection: Detection;
    source: ClaimSource;
  }): Promise<void> => {
    const { event, detection } = input;
    const profile = await this.observeProfile(event, detection);
    const change = iamChangeOf(event);
    if (change) {
      // Judged against the actor's profile including this call: a family, network first used
      // by this very call (or the actor's first call ever) is a context new to the actor.
      const novelty = this.novelty(profile ?? emptyProfile(), event);
      const parts = [
        detection.firstSighting === event.time ? 'its first call ever' : undefined,
        novelty.agent,
        novelty.network ? `network ${novelty.network}` : undefined,
      ].filter((x): x is string => x !== undefined);
      if (parts.length > 0) change.actorNewContext = bounded(`${parts.join(' and ')}`, MAX_FACT_CHARS);
      this.requests++;
      await this.store.recordIamChange(change);
    }
    // A resource-level claim (or its redelivery: the store counts a principal once per bucket).
    const bucket = detection.fired.includes('resource') ? bucketOf(event) : undefined;
    if (bucket !== undefined) {
      this.requests++;
      await this.store.countBucketPrincipal(bucket, event.principal);
    }
  };

  /** Updates the principal's profile when the event brings something new; returns it. */
  private async observeProfile(
    event: ObservedEvent,
    detection: Detection,
  ): Promise<PrincipalProfile | undefined> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      let cached = this.profiles.get(event.principal);
      if (cached === undefined && attempt === 0 && detection.firstSighting === event.time) {
        // Most likely the principal's very first event: no profile to read. Should one exist
        // after all, the conditional write below fails and the next attempt reads it.
        cached = null;
      } else if (cached === undefined) {
        this.requests++;
        cached = (await this.store.getProfile(event.principal)) ?? null;
        this.remember(event.principal, cached);
      }
      const stored = cached ?? undefined;
      const plan = this.plan(event, detection, stored);
      if (plan.next === undefined) {
        // When guessed, nothing is cached: the next event of the principal reads the profile.
        this.note(event, detection, { profile: stored, newRegion: false });
        return stored;
      }
      this.requests++;
      const ok = await this.store.putProfile(event.principal, plan.next, stored?.version, plan.countAction);
      if (ok) {
        this.remember(event.principal, plan.next);
        this.note(event, detection, { profile: plan.next, newRegion: plan.newRegion });
        return plan.next;
      }
      // Another writer (a concurrent consumer) moved the profile on: read it again.
      this.profiles.delete(event.principal);
    }
    throw new ProfileConflictError(`profile of ${bounded(event.principal, 200)} kept changing`);
  }

  /** The engine's `context`: never throws; a store failure yields a shorter explanation. */
  readonly context = async (input: {
    event: ObservedEvent;
    detection: Detection;
    source: ClaimSource;
    /** The engine found the action on the configured sensitive list. */
    sensitive?: boolean;
  }): Promise<AlertContext> => {
    const { event, detection } = input;
    const obs = this.pending.get(event.eventId);
    this.pending.delete(event.eventId);
    const profile = obs?.profile ?? this.profiles.get(event.principal) ?? emptyProfile();
    let prevalence = 0;
    let bucketPrevalence = 0;
    let iamChange: AlertEvidence['iamChange'];
    let unavailable = false;
    const bucket = detection.fired.includes('resource') ? bucketOf(event) : undefined;
    try {
      this.requests++;
      const facts = await this.store.readAlertFacts(event.principal, event.action, bucket);
      prevalence = facts.prevalence;
      bucketPrevalence = facts.bucketPrevalence ?? 0;
      const c = facts.iamChange;
      if (c && c.time <= event.time && event.time - c.time <= this.iamLookbackMs) iamChange = c;
    } catch {
      unavailable = true;
    }
    const evidence = this.evidence(event, detection, profile, obs?.newRegion ?? false, prevalence);
    const effect = actionEffect(event, input.sensitive === true);
    if (effect) evidence.effect = effect;
    if (iamChange) {
      evidence.iamChange = iamChange;
      if (iamChange.eventId === bounded(event.eventId, MAX_FACT_CHARS)) evidence.iamChangeIsThisCall = true;
    }
    if (bucket !== undefined) {
      // The counter includes this principal (observe counted it before this call).
      evidence.bucket = { name: `s3:${bucket}`, otherPrincipals: Math.max(0, bucketPrevalence - 1) };
      evidence.knownActionNewBucket = detection.fired.every((l) => l === 'resource');
    }
    const context = describeAlert(evidence);
    if (unavailable) context['incomplete'] = 'the explain store could not be read: counts may be low';
    return context;
  };

  private evidence(
    event: ObservedEvent,
    detection: Detection,
    profile: PrincipalProfile,
    newRegion: boolean,
    prevalence: number,
  ): AlertEvidence {
    const from = event.time - this.burstWindowMs;
    const inBurst = profile.recent.filter((r) => r.t >= from && r.t <= event.time);
    const action = bounded(event.action, MAX_ACTION_CHARS);
    const e: AlertEvidence = {
      region: event.region,
      denied: isDeniedCall(event.errorCode),
      firstSuccessAfterFailure: detection.firstSuccessAfterFailure,
      deniedBefore: profile.recent.some((r) => r.a === action && r.d),
      actionCount: profile.actionCount,
      knownSince: detection.firstSighting,
      // The counter includes this principal (it claimed the action, now or before).
      otherPrincipals: Math.max(0, prevalence - 1),
      burstActions: inBurst.length,
      burstDenied: inBurst.filter((r) => r.d).length,
      burstWindowMinutes: this.burstWindowMinutes,
      burstMinActions: this.burstMinActions,
      newRegion,
    };
    if (event.errorCode) e.errorCode = event.errorCode;
    const novelty = this.novelty(profile, event);
    if (novelty.family) e.unusualUserAgent = novelty.family;
    if (novelty.quoted !== undefined) e.unrecognisedUserAgent = novelty.quoted;
    if (novelty.network) e.unusualNetwork = novelty.network;
    const tool = this.deploymentTool(profile, inBurst, event);
    if (tool) e.deploymentTool = tool;
    if (event.sessionName) e.sessionName = event.sessionName;
    if (event.sourceIdentity) e.sourceIdentity = event.sourceIdentity;
    return e;
  }

  /** What in the event's context is new for the principal (see unfamiliar). */
  private novelty(
    profile: PrincipalProfile,
    event: ObservedEvent,
  ): { family?: string; quoted?: string; agent?: string; network?: string } {
    const out: { family?: string; quoted?: string; agent?: string; network?: string } = {};
    const family = this.unfamiliar(profile.userAgents, userAgentFamily(event.userAgent), event.time);
    if (family) {
      out.family = family;
      if (isUnrecognised(family)) {
        out.quoted = inert(event.userAgent ?? '', MAX_QUOTED_AGENT_CHARS);
        out.agent = `an unrecognised user agent \`${out.quoted}\``;
      } else {
        out.agent = `user agent family ${family}`;
      }
    }
    const network = this.unfamiliar(profile.networks, sourceNetwork(event.sourceIPAddress), event.time);
    if (network) out.network = network;
    return out;
  }

  /**
   * The deployment tool behind a burst, when there is one: every new action of the burst and
   * the event itself came from one deployment tool family the principal had used before the
   * burst began, from networks it had used before (or a principal of too many networks to
   * tell). Anything else (an SDK, the CLI, an unrecognised agent, a mixed burst) is no evidence
   * of a deployment.
   */
  private deploymentTool(
    profile: PrincipalProfile,
    burst: RecentAction[],
    event: ObservedEvent,
  ): string | undefined {
    if (burst.length < this.burstMinActions) return undefined;
    const family = userAgentFamily(event.userAgent);
    if (!isDeploymentTool(family)) return undefined;
    const since = Math.min(...burst.map((r) => r.t));
    const tool = profile.userAgents.find((s) => s.k === family);
    if (tool === undefined || tool.t >= since) return undefined;
    const knownNetwork = (n: string | undefined): boolean =>
      n !== undefined &&
      (profile.networksSaturated || profile.networks.some((s) => s.k === n && s.t < since));
    if (!knownNetwork(sourceNetwork(event.sourceIPAddress))) return undefined;
    const inContext = (r: RecentAction): boolean =>
      r.f !== undefined &&
      profile.userAgents[r.f]?.k === family &&
      (profile.networksSaturated || (r.n !== undefined && knownNetwork(profile.networks[r.n]?.k)));
    return burst.every(inContext) ? family : undefined;
  }

  /** `key` was first used recently, and the principal had used something else before it. */
  private unfamiliar(seen: readonly Sighting[], key: string | undefined, time: number): string | undefined {
    if (key === undefined) return undefined;
    const s = seen.find((x) => x.k === key);
    if (s === undefined || time - s.t > this.unfamiliarMs) return undefined;
    return seen.some((x) => x.t < s.t) ? key : undefined;
  }

  /** The profile write this event needs, if any (only when something is new). */
  private plan(
    event: ObservedEvent,
    detection: Detection,
    stored: PrincipalProfile | undefined,
  ): { next?: PrincipalProfile; countAction?: string; newRegion: boolean } {
    const base = stored ?? emptyProfile();
    const action = bounded(event.action, MAX_ACTION_CHARS);
    // A role-level claim: `role` fired, not as a first success. A redelivered claim (idempotent
    // re-claim) fires again: the recent list, keyed by eventID, keeps it from counting twice.
    const claim =
      detection.fired.includes('role') &&
      !detection.firstSuccessAfterFailure &&
      !base.recent.some((r) => r.e === event.eventId);
    const family = userAgentFamily(event.userAgent);
    const newUa =
      family !== undefined &&
      base.userAgents.length < MAX_USER_AGENTS &&
      !base.userAgents.some((s) => s.k === family);
    const network = sourceNetwork(event.sourceIPAddress);
    const newNetwork =
      network !== undefined && !base.networksSaturated && !base.networks.some((s) => s.k === network);
    const regionUnknown = base.regions.length < MAX_REGIONS && !base.regions.includes(event.region);
    const newRegion = regionUnknown && base.regions.length > 0 && detection.fired.includes('region');
    if (!claim && !newUa && !newNetwork && !regionUnknown) return { newRegion: false };

    const next: PrincipalProfile = {
      version: (stored?.version ?? 0) + 1,
      actionCount: base.actionCount,
      recent: [...base.recent],
      userAgents: [...base.userAgents],
      networks: [...base.networks],
      networksSaturated: base.networksSaturated,
      regions: [...base.regions],
    };
    if (newUa) next.userAgents.push({ k: family, t: event.time });
    if (newNetwork) {
      // A principal that calls from many networks (Lambda, NAT pools): a new one says nothing.
      if (next.networks.length >= MAX_NETWORKS) next.networksSaturated = true;
      else next.networks.push({ k: network, t: event.time });
    }
    if (claim) {
      next.actionCount++;
      const f = next.userAgents.findIndex((s) => s.k === family);
      const n = next.networks.findIndex((s) => s.k === network);
      next.recent.push({
        t: event.time,
        e: bounded(event.eventId, 200),
        a: action,
        d: isDeniedCall(event.errorCode),
        ...(f >= 0 && { f }),
        ...(n >= 0 && { n }),
      });
      next.recent.sort((x, y) => x.t - y.t);
      if (next.recent.length > MAX_RECENT) next.recent.splice(0, next.recent.length - MAX_RECENT);
    }
    if (regionUnknown) next.regions.push(event.region);
    const out: { next: PrincipalProfile; countAction?: string; newRegion: boolean } = { next, newRegion };
    if (claim) out.countAction = action;
    return out;
  }

  private remember(principal: string, profile: PrincipalProfile | null): void {
    this.profiles.delete(principal);
    if (this.profiles.size >= this.maxProfiles) {
      const oldest = this.profiles.keys().next();
      if (!oldest.done) this.profiles.delete(oldest.value);
    }
    this.profiles.set(principal, profile);
  }

  private note(event: ObservedEvent, detection: Detection, obs: Observation): void {
    if (detection.fired.length === 0) return;
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next();
      if (!oldest.done) this.pending.delete(oldest.value);
    }
    this.pending.set(event.eventId, obs);
  }
}
