import { GeneratorOptionsError } from './errors';

export interface PeriodOptions {
  /** Where the history ends and the live period begins (default: now, rounded down to the minute). */
  liveStart?: Date | number;
  /** Length of the history in days (default 120: long enough for a 90-day window return). */
  historyDays?: number;
  /** Length of the live period in minutes (default 60). */
  liveMinutes?: number;
}

/** A history followed by a live period, in epoch milliseconds. */
export interface Period {
  /** Start of the history. */
  start: number;
  /** End of the history, start of the live period. */
  liveStart: number;
  /** End of the live period (exclusive). */
  end: number;
}

/**
 * Splits time into a history (to seed the baseline with) and a live period (to stream, with
 * anomalies). Use `{ start, end: liveStart }` and `{ start: liveStart, end }` with
 * `generateEvents`, and the whole period with `planAnomalies`.
 */
export function splitPeriod(options: PeriodOptions = {}): Period {
  const historyDays = options.historyDays ?? 120;
  const liveMinutes = options.liveMinutes ?? 60;
  if (!(historyDays >= 0) || !Number.isFinite(historyDays)) {
    throw new GeneratorOptionsError(`historyDays must be a non-negative number, got ${historyDays}`);
  }
  if (!(liveMinutes > 0) || !Number.isFinite(liveMinutes)) {
    throw new GeneratorOptionsError(`liveMinutes must be positive, got ${liveMinutes}`);
  }
  const given = options.liveStart ?? Date.now();
  const raw = typeof given === 'number' ? given : given.getTime();
  if (!Number.isFinite(raw)) throw new GeneratorOptionsError('liveStart must be a valid date');
  const liveStart = Math.floor(raw / 60_000) * 60_000;
  return {
    start: liveStart - Math.round(historyDays * 86_400_000),
    liveStart,
    end: liveStart + Math.round(liveMinutes * 60_000),
  };
}
