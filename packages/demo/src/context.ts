import type { LocalDemoOptions } from './types';

/** What every phase of one `npm start` run reads: its options with their defaults applied. */
export interface DemoContext {
  options: LocalDemoOptions;
  /** Human-readable output: progress, alert blocks, the summary. */
  write: (text: string) => void;
  /** Environment for Slack/PagerDuty secrets and receiver URLs. */
  env: NodeJS.ProcessEnv;
  /** Ctrl-C during the start-up. */
  signal: AbortSignal | undefined;
  /** Longest wait for each step of the pipeline to catch up with the live period. */
  drainTimeoutMs: number;
  /** When the run started (epoch milliseconds). */
  startedAt: number;
}

export function demoContext(options: LocalDemoOptions): DemoContext {
  return {
    options,
    write: options.write ?? ((t: string) => process.stdout.write(t)),
    env: options.env ?? process.env,
    signal: options.signal,
    drainTimeoutMs: options.drainTimeoutMs ?? 120_000,
    startedAt: Date.now(),
  };
}
