import type { ObservedEvent } from '@firstseen/core';
import type { ReplayMode, ReplaySummary } from './summary';

export interface SinkContext {
  summary: ReplaySummary;
  /** Writes a checkpoint now (no-op without --checkpoint). */
  save(): Promise<void>;
}

/** What a mode does with the observed events, in replay order. */
export interface ReplaySink {
  readonly mode: ReplayMode;
  /** Called once before the first event: `state` is the mode's part of a checkpoint, if resuming. */
  start(state: unknown | undefined, ctx: SinkContext): Promise<void>;
  /** One observed event; `value` is the JSON value it came from (record or envelope). */
  event(event: ObservedEvent, value: unknown, ctx: SinkContext): Promise<void>;
  /** Completes everything submitted so far (before a checkpoint). */
  flush(ctx: SinkContext): Promise<void>;
  /** The mode's state for a checkpoint (after flush). */
  snapshot(): unknown;
  /** After the last object. */
  finish(ctx: SinkContext): Promise<void>;
  /** Releases files (also after a failure). */
  close(): Promise<void>;
}
