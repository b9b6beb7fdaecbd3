import type { Config } from '@firstseen/core';
import type { ScenarioName } from '@firstseen/generator';
import type { LocalStack, PublishedEvent } from '@firstseen/local-stack';

export interface LocalDemoOptions {
  seed?: string;
  historyDays?: number;
  /** Background events per day in the history (default 500). */
  historyEventsPerDay?: number;
  /** Length of the live period in generated minutes (default 120). */
  liveMinutes?: number;
  /** Background events per day in the live period (default 8,000: a busier hour than average). */
  liveEventsPerDay?: number;
  shards?: number;
  /** Where the live period starts (default now). */
  liveStart?: Date | number;
  /** Write the endpoints for `npm run send` here (default .firstseen/local-stack.json; false: none). */
  statePath?: string | false;
  /** Human-readable output: progress, alert blocks, the summary (default process.stdout). */
  write?: (text: string) => void;
  /** Environment for Slack/PagerDuty secrets (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** pino level of the pipeline's own logs, on stderr (default `warn`). */
  logLevel?: string;
  /**
   * Which feed carries the live period (docs/semantics.md "Second feed"): `eventbridge` (default:
   * envelopes into Kinesis), `trail` (CloudTrail log files into s3rver, their notifications on a
   * local queue read by the trail-reader) or `both`.
   */
  feed?: Config['feed'];
  /**
   * A config (`npm start --config FILE`, parsed JSON) whose settings replace the defaults; the
   * demo keeps its own routing. With `levels.resource` on, the exfiltration scenario is injected too.
   */
  configInput?: Record<string, unknown>;
  /**
   * `--why`: the summary also lists the live events whose levels fired without an alert, and
   * why (burn-in until when, which suppression), counted per reason, the first ones in full.
   */
  why?: boolean;
  /** Longest wait for the pipeline to catch up with the live period (default 120 s). */
  drainTimeoutMs?: number;
  /**
   * Aborts the start-up (Ctrl-C before the summary): everything started so far is stopped and
   * no state file is left behind; the promise rejects with DemoInterruptedError.
   */
  signal?: AbortSignal;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  label: string;
  principal: string;
  injected: number;
  /** Injected events delivered as alerts with the expected levels, each exactly once. */
  alerted: number;
  ok: boolean;
  /** Each injected event that did not alert as expected, and why (one line, inert). */
  missed: { eventId: string; action: string; why: string }[];
}

/** What one configured destination received in the live period, from the alerts' delivery state. */
export interface DestinationResult {
  destination: string;
  /** Alerts the routing rules sent to it. */
  routed: number;
  delivered: number;
  /** Failed permanently (recorded on the alert; `npm run redrive` re-sends after the fix). */
  permanent: number;
  /** Failed transiently so far (the mapping retries these). */
  failed: number;
  /** One of the recorded errors, e.g. `slack webhook HTTP 404 channel_not_found`. */
  lastError?: string;
  /** It received something (delivered > 0). */
  ok: boolean;
}

export interface DemoSummary {
  scenarios: ScenarioResult[];
  /** Per configured destination: routed, delivered, failed. */
  destinations: DestinationResult[];
  /** Delivered alerts that no scenario injected, each with its levels. */
  otherAlerts: { alertId: string; principal: string; action: string; levels: string[]; severity: string }[];
  liveEvents: number;
  eventsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  deliveredAlerts: number;
  /** Alerts delivered more than once (should be empty). */
  duplicates: string[];
  /** Differences between the delivered set and the in-memory engine's alerts on the same events. */
  mismatches: string[];
  seed: { historyEvents: number; keys: number; principals: number; ms: number };
  /** `--why`: live events whose levels fired without an alert (counted per reason, the first in full). */
  quiet?: QuietEvents;
}

/** Live events whose levels fired but that did not alert (`npm start -- --why`). */
export interface QuietEvents {
  total: number;
  byReason: Record<string, number>;
  first: { eventId: string; principal: string; action: string; levels: string[]; why: string }[];
}

export interface LocalDemo {
  ok: boolean;
  summary: DemoSummary;
  stack: LocalStack;
  /** Sends more events through the running pipeline (what `npm run send` does from outside). */
  publish(events: Iterable<Record<string, unknown>>): Promise<PublishedEvent[]>;
  /** Stops the pollers (waiting for batches in flight) and the emulators. Idempotent. */
  stop(): Promise<void>;
}
