/** Options of a chaos run. Durations are wall-clock milliseconds, shortened from production's. */
export interface ChaosOptions {
  seed?: number;
  /** Generated hours of organization activity streamed (default 2). */
  hours?: number;
  /** Background events per day across the organization (default 12,000). */
  eventsPerDay?: number;
  /** Share of poison records added (default 0.05). */
  poisonRate?: number;
  shards?: number;
  /** How long publishing is spread over (default 40 s); faults are scheduled relative to it. */
  publishMs?: number;
  /** Slack and PagerDuty refuse connections for this long from the start (default publishMs / 4). */
  receiversDownMs?: number;
  /** Then answer 429 with Retry-After for this long (default publishMs / 5). */
  rateLimitedMs?: number;
  /** Then answer 500 to this share of requests until the end (default 0.2). */
  serverErrorRate?: number;
  /** Most detector crashes injected (default 8) and dispatcher crashes (default 5). */
  detectorCrashes?: number;
  dispatcherCrashes?: number;
  /** Slack in `bot` mode (threads, the default) or `webhook` mode (one message per group). */
  slackMode?: 'bot' | 'webhook';
  /** Restart DynamoDB Local mid-run (default true). */
  restartDynamoDb?: boolean;
  /** Longest wait for the pipeline to deliver everything after publishing (default 300 s). */
  drainTimeoutMs?: number;
  /** Progress lines (default: none). */
  write?: (line: string) => void;
  /** pino level of the pipeline's logs, on stderr (default `silent`). */
  logLevel?: string;
  /**
   * Sees every detection, the reference engine's and each detector process's, in the order they
   * ran (`npm run chaos -- --trace FILE`): what to read when a run reports mismatches.
   */
  onDetection?: (entry: DetectionTrace) => void;
  /**
   * `both`: every event also reaches the detector's tables through the trail feed (log files in
   * s3rver, a queue, the trail reader). Default `eventbridge`.
   */
  feed?: 'eventbridge' | 'both';
  /** Share of EventBridge deliveries of valid events silently dropped (default 0). */
  dropEventBridge?: number;
}

/** One detection, as `onDetection` sees it. */
export interface DetectionTrace {
  /** `reference`, or `detector-N` for the N-th detector process (0 is the first; each crash starts a new one). */
  by: string;
  eventId: string;
  principal: string;
  action: string;
  account: string;
  region: string;
  eventTime: string;
  failed: boolean;
  /** Levels that fired, in docs/semantics.md's order. */
  fired: string[];
}

export interface ChaosReport {
  seed: number;
  /** Distinct valid CloudTrail events streamed. */
  events: number;
  /** Kinesis records put, copies and poison included. */
  recordsPublished: number;
  /** Extra copies put by simulated producer retries. */
  duplicatesInjected: number;
  /** Distinct poison records (by content) injected. */
  poisonInjected: number;
  crashesInjected: number;
  detectorCrashes: number;
  dispatcherCrashes: number;
  dynamodbRestarts: number;
  throttledRequests: number;
  /** Alerts of the in-memory reference engine on the deduplicated valid events. */
  expectedAlerts: number;
  deliveredSlack: number;
  deliveredPagerDuty: number;
  expectedSlack: number;
  expectedPagerDuty: number;
  /** Expected alerts that did not reach every destination they route to. */
  lost: number;
  lostAlertIds: string[];
  /** PagerDuty incidents beyond one per expected dedup_key. */
  duplicatePages: number;
  /** Trigger events PagerDuty folded into an open incident (same dedup_key; harmless). */
  pagerDutyRepeatTriggers: number;
  /** Slack appearances of an alert beyond its first message (at-least-once). */
  duplicateSlack: number;
  slackMode: 'bot' | 'webhook';
  /** Bot mode: Slack threads (top-level messages) opened (see tallyThreads). */
  threadsOpened?: number;
  /** Bot mode: distinct principals with a thread. */
  threadPrincipals?: number;
  /** Bot mode: threads beyond one per principal and window (0 when threading holds). */
  duplicateThreads?: number;
  /** Bot mode: most threads one principal opened within one window (1 when threading holds). */
  maxThreadsPerPrincipalWindow?: number;
  /** Distinct poison records (by content) found in the quarantine bucket. */
  quarantined: number;
  /** Distinct valid records found in quarantine (should be 0). */
  quarantinedValid: number;
  /** Alerts written to the outbox that the reference engine does not produce, or with other levels. */
  unexpectedAlerts: number;
  mismatchedLevels: number;
  /** The first unexpected or mismatched alerts: what the reference engine produced and what was written. */
  mismatches: { alertId: string; principal: string; action: string; expected: string[]; written: string[] }[];
  /** Batches the event source mappings had to discard to move a shard on. */
  shardStalls: number;
  discardedRecords: number;
  /** Alerts the scheduled redrive delivered (their stream retries were exhausted). */
  redriven: number;
  durationMs: number;
  /** The feeds the run used, EventBridge deliveries dropped, and alerts the trail reader wrote first. */
  feed: 'eventbridge' | 'both';
  eventBridgeDropped: number;
  alertsFromTrail: number;
  /** Trail log files delivered, and their notifications left in the dead-letter queue (should be 0). */
  trailFiles: number;
  trailDeadLettered: number;
  ok: boolean;
}
