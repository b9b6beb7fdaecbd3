import type { Put } from '../workload/planPuts';

/**
 * EventBridge's best-effort delivery (docs/semantics.md "Second feed"): each delivery of a valid
 * event (a put with an event id, producer-retry copies included) is silently dropped with
 * probability `rate`. Poison records are not EventBridge deliveries and are all kept.
 */
export function dropEventBridge(
  puts: readonly Put[],
  rate: number,
  random: () => number,
): { kept: Put[]; dropped: number; lostEvents: number } {
  if (rate <= 0) return { kept: [...puts], dropped: 0, lostEvents: 0 };
  const kept: Put[] = [];
  let dropped = 0;
  const delivered = new Set<string>();
  const seen = new Set<string>();
  for (const put of puts) {
    if (put.eventId !== undefined) seen.add(put.eventId);
    if (put.eventId !== undefined && random() < rate) {
      dropped++;
      continue;
    }
    if (put.eventId !== undefined) delivered.add(put.eventId);
    kept.push(put);
  }
  return { kept, dropped, lostEvents: seen.size - delivered.size };
}
