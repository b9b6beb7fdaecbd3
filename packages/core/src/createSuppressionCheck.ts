import type { SuppressionCheck } from './DetectionEngine';
import { type Suppression, type SuppressionStore, suppressionMatches } from './suppression';
import type { ObservedEvent } from './types';

/** The detector re-reads a principal's suppressions after this long. */
export const DEFAULT_SUPPRESSION_CACHE_TTL_MS = 60_000;

export interface SuppressionCheckOptions {
  store: SuppressionStore;
  /** Epoch milliseconds now. Default Date.now. */
  clock?: () => number;
  /** A principal's suppressions are re-read after this long (default 60 s); 0 = no cache. */
  ttlMs?: number;
  /**
   * `now` (live detector): a suppression applies while the clock is before its expiry.
   * `event` (replay): while the event's time is before it.
   */
  at?: 'now' | 'event';
  /** Most principals cached (default 10,000; the oldest entry is evicted first). */
  maxPrincipals?: number;
}

/**
 * The DetectionEngine's `suppressed` option backed by a SuppressionStore, caching each
 * principal's suppressions (absence included) for a short TTL, so a busy principal costs one
 * store read per TTL per process. A removal or a new suppression takes effect within the TTL.
 * A sensitive action or a `root/` principal is only silenced by a suppression naming its action
 * (suppressionMatches), whatever the store holds.
 */
export function createSuppressionCheck(options: SuppressionCheckOptions): SuppressionCheck {
  const clock = options.clock ?? Date.now;
  const ttlMs = options.ttlMs ?? DEFAULT_SUPPRESSION_CACHE_TTL_MS;
  const max = options.maxPrincipals ?? 10_000;
  const cache = new Map<string, { readAt: number; rules: Promise<Suppression[]> }>();

  const rulesFor = (principal: string): Promise<Suppression[]> => {
    const now = clock();
    const hit = cache.get(principal);
    if (hit && now - hit.readAt < ttlMs) return hit.rules;
    const rules = options.store.forPrincipal(principal);
    if (ttlMs > 0) {
      cache.delete(principal);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(principal, { readAt: now, rules });
      // A failed read is not cached: the next event asks again (and the error reaches the engine).
      rules.catch(() => {
        if (cache.get(principal)?.rules === rules) cache.delete(principal);
      });
    }
    return rules;
  };

  return async (event: ObservedEvent, facts: { sensitive: boolean }) => {
    const rules = await rulesFor(event.principal);
    if (rules.length === 0) return undefined;
    const at = options.at === 'event' ? event.time : clock();
    // The suppression itself, so that the detection can say which one held the alert back.
    return rules.find((s) => suppressionMatches(s, event, at, facts.sensitive));
  };
}
