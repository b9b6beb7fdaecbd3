import type {
  Alert,
  BaselineStore,
  Config,
  ContextProvider,
  ObservedEvent,
  SuppressionCheck,
} from '@firstseen/core';
import { DetectionEngine } from '@firstseen/core';
import { PrincipalOrderedRunner } from './PrincipalOrderedRunner';
import type { ReplaySink } from './ReplaySink';
import { countDetection } from './summary';

/** Where alerts go: the outbox's conditional put (true when this call created the alert). */
export interface AlertSink {
  put(alert: Alert, retentionDays: number): Promise<boolean>;
}

export interface ReconcileOptions {
  config: Config;
  /** The live baseline (DynamoBaselineStore). */
  store: BaselineStore;
  /** The alerts outbox (DynamoAlertOutbox). */
  outbox: AlertSink;
  /** Events in flight at once across principals (default 16). */
  concurrency?: number;
  context?: ContextProvider;
  /** Triage suppressions (`createSuppressionCheck` from @firstseen/core, `at: 'event'`): alerts stop, keys are still learned. */
  suppressed?: SuppressionCheck;
  /** eventIDs of injected attacks (ground truth): the report shows them, never projects them. */
  injected?: ReadonlySet<string>;
}

/**
 * `reconcile`: the engine over the live baseline with source `reconcile`. A key the live path
 * claimed is never claimed again (an idempotent re-claim counts only for the same source), so
 * alerts come only for first occurrences the live path never saw; the outbox's conditional put
 * keeps one alert per eventID, so a re-run alerts nothing twice.
 */
export function reconcileSink(options: ReconcileOptions): ReplaySink {
  const engine = new DetectionEngine({
    store: options.store,
    config: options.config,
    ...(options.context && { context: options.context }),
    ...(options.suppressed && { suppressed: options.suppressed }),
  });
  const runner = new PrincipalOrderedRunner(options.concurrency ?? 16);
  const tally = { routing: options.config.routing, ...(options.injected && { injected: options.injected }) };
  return {
    mode: 'reconcile',
    async start(_state, ctx) {
      ctx.summary.reconcile ??= { alertsWritten: 0, alertsAlreadyPresent: 0 };
    },
    async event(event: ObservedEvent, _value, ctx) {
      await runner.submit(event.principal, async () => {
        const detection = await engine.detect(event, 'reconcile');
        countDetection(ctx.summary, event.principal, event.time, detection, tally);
        if (detection.alert) {
          const created = await options.outbox.put(detection.alert, options.config.alertRetentionDays);
          const r = ctx.summary.reconcile!;
          if (created) r.alertsWritten++;
          else r.alertsAlreadyPresent++;
        }
      });
    },
    async flush() {
      await runner.drain();
    },
    snapshot() {
      return undefined;
    },
    async finish() {
      await runner.drain();
    },
    async close() {},
  };
}
