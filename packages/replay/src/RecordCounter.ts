import { classifyRecord, type DecodeOptions, type ObservedEvent } from '@firstseen/core';
import type { ReplayFilters } from './objectKeys';
import type { FileValue } from './parseObject';
import { outsideFilters } from './recordFilter';
import { countOutcome, EventTimeBounds, type ReplaySummary } from './summary';

/**
 * One object's values counted into a replay's summary (records, filtered, invalid with reasons,
 * ignored with reasons, observed, the first and last event time), the same way whichever thread
 * reads them: `observed(value)` returns the event to replay, or undefined when the value was
 * counted otherwise (`notObserved` then says how, undefined for a filtered record).
 */
export class RecordCounter {
  readonly times: EventTimeBounds;
  notObserved: { kind: 'invalid' | 'ignored'; reason: string } | undefined;
  private readonly anyFilter: boolean;

  constructor(
    private readonly summary: ReplaySummary,
    private readonly filters: ReplayFilters,
    private readonly decodeOptions: DecodeOptions,
  ) {
    this.times = new EventTimeBounds(summary);
    this.anyFilter =
      (filters.accounts?.length ?? 0) > 0 ||
      (filters.regions?.length ?? 0) > 0 ||
      filters.from !== undefined ||
      filters.to !== undefined;
  }

  observed(v: FileValue): ObservedEvent | undefined {
    const summary = this.summary;
    this.notObserved = undefined;
    if (!v.ok) {
      countOutcome(summary, { outcome: 'invalid', reason: 'bad-json', detail: v.detail });
      this.notObserved = { kind: 'invalid', reason: 'bad-json' };
      return undefined;
    }
    if (this.anyFilter && outsideFilters(v.value, this.filters)) {
      summary.records++;
      summary.filtered++;
      return undefined;
    }
    const decoded = classifyRecord(v.value, this.decodeOptions);
    if (decoded.outcome !== 'observed') {
      countOutcome(summary, decoded);
      this.notObserved = { kind: decoded.outcome, reason: decoded.reason };
      return undefined;
    }
    // countOutcome's work, with the time bounds kept as numbers.
    summary.records++;
    summary.observed++;
    this.times.add(decoded.event.time);
    return decoded.event;
  }
}
