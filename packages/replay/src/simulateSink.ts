import {
  type Config,
  type ContextProvider,
  DAY_MS,
  DetectionEngine,
  type EventObserver,
  InMemoryBaselineStore,
  type ObservedEvent,
  type SuppressionCheck,
} from '@firstseen/core';
import type { AlertFileWriter } from './AlertFileWriter';
import type { ReplaySink, SinkContext } from './ReplaySink';
import { type BaselineSnapshot, restoreBaseline, snapshotBaseline } from './restoreBaseline';
import { countDetection } from './summary';

export interface SimulateOptions {
  config: Config;
  /** `--out`: every alert, one JSON per line. */
  out?: AlertFileWriter;
  context?: ContextProvider;
  /** Sees every observed event (the explain feature's observer, paired with `context`). */
  observer?: EventObserver;
  /** Triage suppressions (`createSuppressionCheck` from @firstseen/core, `at: 'event'`): alerts stop, keys are still learned. */
  suppressed?: SuppressionCheck;
  /** eventIDs of injected attacks (ground truth): the report shows them, never projects them. */
  injected?: ReadonlySet<string>;
}

interface SimulateState {
  baseline: BaselineSnapshot;
  outBytes?: number;
}

/**
 * `simulate`: the detector's engine over an in-memory baseline, source `live` (what the live
 * path would have alerted), touching no AWS resource. A checkpoint holds the whole in-memory
 * baseline, so a resumed run continues from exactly the state of the uninterrupted one.
 */
export function simulateSink(
  options: SimulateOptions,
): ReplaySink & { readonly store: InMemoryBaselineStore } {
  let store = new InMemoryBaselineStore();
  let engine: DetectionEngine;
  const build = () => {
    engine = new DetectionEngine({
      store,
      config: options.config,
      ...(options.context && { context: options.context }),
      ...(options.observer && { observer: options.observer }),
      ...(options.suppressed && { suppressed: options.suppressed }),
    });
  };
  build();
  const tally = { routing: options.config.routing, ...(options.injected && { injected: options.injected }) };
  return {
    mode: 'simulate',
    get store() {
      return store;
    },
    async start(state) {
      const s = state as SimulateState | undefined;
      if (s !== undefined) {
        store = new InMemoryBaselineStore();
        await restoreBaseline(store, s.baseline, options.config.retentionDays * DAY_MS);
        build();
      }
      options.out?.open(s?.outBytes);
    },
    event(event: ObservedEvent, _value, ctx: SinkContext) {
      // A plain `then`, not an async function: one promise less per event.
      return engine.detect(event, 'live').then((detection) => {
        countDetection(ctx.summary, event.principal, event.time, detection, tally);
        if (detection.alert) options.out?.write(detection.alert);
      });
    },
    async flush() {
      options.out?.flush();
    },
    snapshot(): SimulateState {
      const state: SimulateState = { baseline: snapshotBaseline(store) };
      if (options.out) state.outBytes = options.out.bytes;
      return state;
    },
    async finish() {
      options.out?.flush();
    },
    async close() {
      options.out?.close();
    },
  };
}
