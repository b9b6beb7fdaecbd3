import { Writable } from 'node:stream';
import {
  type BaselineStore,
  type Config,
  type ConfigInput,
  DetectionEngine,
  InMemoryBaselineStore,
  parseConfig,
} from '@firstseen/core';
import {
  type AlertOutbox,
  type DetectorDeps,
  InMemoryAlertOutbox,
  InMemoryQuarantine,
  type Quarantine,
} from '@firstseen/detector';
import pino from 'pino';

/** Log lines captured from the detector's pino logger. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get entries(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface InMemoryDetector {
  deps: DetectorDeps;
  store: InMemoryBaselineStore;
  outbox: InMemoryAlertOutbox;
  quarantine: InMemoryQuarantine;
  metrics: string[];
  logs: LogCapture;
  config: Config;
}

export interface InMemoryDetectorOptions {
  config?: ConfigInput;
  /** Wraps the store the engine uses (fault injection). */
  wrapStore?: (store: InMemoryBaselineStore) => BaselineStore;
  wrapOutbox?: (outbox: InMemoryAlertOutbox) => AlertOutbox;
  wrapQuarantine?: (quarantine: InMemoryQuarantine) => Quarantine;
  /** Share state with an earlier detector (a second process, or the same one warm). */
  store?: InMemoryBaselineStore;
  outbox?: InMemoryAlertOutbox;
}

/** The detector's dependencies, all in memory. Alerts fire from the first event (burn-in off) unless configured. */
export function inMemoryDetector(options: InMemoryDetectorOptions = {}): InMemoryDetector {
  const config = parseConfig({ burnInDays: 0, ...options.config });
  const store = options.store ?? new InMemoryBaselineStore();
  const outbox = options.outbox ?? new InMemoryAlertOutbox();
  const quarantine = new InMemoryQuarantine();
  const metrics: string[] = [];
  const logs = new LogCapture();
  const engine = new DetectionEngine({ store: options.wrapStore ? options.wrapStore(store) : store, config });
  const deps: DetectorDeps = {
    engine,
    outbox: options.wrapOutbox ? options.wrapOutbox(outbox) : outbox,
    quarantine: options.wrapQuarantine ? options.wrapQuarantine(quarantine) : quarantine,
    logger: pino({ level: 'debug' }, logs),
    metrics: (line) => metrics.push(line),
    config,
    clock: () => Date.UTC(2024, 4, 1, 12, 0, 0),
    functionName: 'firstseen-detector-test',
  };
  return { deps, store, outbox, quarantine, metrics, logs, config };
}

type StoreMethod = keyof BaselineStore;

const STORE_METHODS: readonly StoreMethod[] = [
  'claim',
  'markSucceeded',
  'windowReturn',
  'refresh',
  'recordSighting',
  'seedKey',
  'getKey',
];

/**
 * A BaselineStore that delegates to another, except where `decide` returns an error to throw
 * instead (before the call reaches the inner store, like a throttled request).
 */
export function faultyStore(
  inner: BaselineStore,
  decide: (method: StoreMethod, args: unknown[]) => Error | undefined,
): BaselineStore {
  const wrapped: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of STORE_METHODS) {
    const fn = inner[method] as (...args: unknown[]) => Promise<unknown>;
    wrapped[method] = async (...args: unknown[]) => {
      const err = decide(method, args);
      if (err) throw err;
      return fn.apply(inner, args);
    };
  }
  return wrapped as unknown as BaselineStore;
}
