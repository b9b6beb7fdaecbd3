import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { paginateScan } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type Alert,
  type Config,
  decodeOptionsFromConfig,
  decodeRecord,
  parseConfig,
  toEventBridgeEnvelope,
} from '@firstseen/core';
import { DynamoBaselineStore } from '@firstseen/dynamodb-store';
import {
  createOrganization,
  type GroundTruthEntry,
  generateEvents,
  planAnomalies,
  type ScenarioName,
  splitPeriod,
} from '@firstseen/generator';
import {
  type CheckpointStore,
  compareSequence,
  createBucket,
  defaultStatePath,
  deliverTrailFiles,
  LocalQueue,
  type LocalStack,
  LocalStackError,
  type PublishedEvent,
  publishEvents,
  removeStaleStateFile,
  removeStateFile,
  startLocalPipeline,
  startLocalStack,
  writeStateFile,
} from '@firstseen/local-stack';
import {
  checkDestinations,
  DynamoDeliveryStateStore,
  envSecretSource,
  loadSecrets,
  routeAlert,
} from '@firstseen/notify';
import { type ConsoleDelivery, createConsoleDestination } from './consoleDestination';
import { seedBaseline } from './seedBaseline';

/** The anomalies `npm start` injects into the live period. */
export const DEMO_SCENARIOS: readonly ScenarioName[] = [
  'new-action',
  'new-region',
  'window-return',
  'recon-burst',
  'stop-logging',
];

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
  /** Longest wait for the pipeline to catch up with the live period (default 120 s). */
  drainTimeoutMs?: number;
  /**
   * Aborts the start-up (Ctrl-C before the summary): everything started so far is stopped and
   * no state file is left behind; the promise rejects with DemoInterruptedError.
   */
  signal?: AbortSignal;
}

/** `npm start` was interrupted before its start-up finished; everything it started is stopped. */
export class DemoInterruptedError extends LocalStackError {
  constructor() {
    super('interrupted during start-up; every emulator and poller started so far is stopped');
    this.name = 'DemoInterruptedError';
  }
}

export interface ScenarioResult {
  scenario: ScenarioName;
  label: string;
  principal: string;
  injected: number;
  /** Injected events delivered as alerts with the expected levels, each exactly once. */
  alerted: number;
  ok: boolean;
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

/** The config of the demo: default semantics, every alert to the console, Slack/PagerDuty when set. */
export function demoConfig(env: NodeJS.ProcessEnv): Config {
  return parseConfig(demoConfigInput(env), 'local demo config');
}

/** The demo's config as written in a file (`npm run redrive` on the local stack reads it). */
function demoConfigInput(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const destinations: Record<string, unknown> = { console: { type: 'console' } };
  const rules: Record<string, unknown>[] = [{ destinations: ['console'] }];
  if (env.FIRSTSEEN_SLACK_WEBHOOK_URL) {
    destinations.slack = { type: 'slack', secret: 'FIRSTSEEN_SLACK_WEBHOOK_URL' };
    rules.push({ destinations: ['slack'] });
  }
  if (env.FIRSTSEEN_PAGERDUTY_ROUTING_KEY) {
    destinations.pagerduty = { type: 'pagerduty', secret: 'FIRSTSEEN_PAGERDUTY_ROUTING_KEY' };
    rules.push({ severities: ['high'], destinations: ['pagerduty'] });
  }
  return { routing: { destinations, rules } };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * `npm start`: boots the local stack, seeds the baseline from a generated 120-day history,
 * streams a live period with injected anomalies through Kinesis -> detector poller -> alerts
 * table -> stream poller -> dispatcher -> console (and Slack/PagerDuty when configured), waits
 * until every event is processed and every alert delivered, and summarises. The pipeline keeps
 * running until `stop()`.
 */
export async function startLocalDemo(options: LocalDemoOptions = {}): Promise<LocalDemo> {
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const env = options.env ?? process.env;
  const logLevel = options.logLevel ?? 'warn';
  const config = demoConfig(env);
  const started = Date.now();
  const signal = options.signal;
  const checkInterrupted = () => {
    if (signal?.aborted) throw new DemoInterruptedError();
  };
  // A state file left by a stack that no longer runs would send the other commands nowhere.
  if (options.statePath !== false) await removeStaleStateFile(options.statePath);
  checkInterrupted();
  // Destinations are checked before anything starts: a malformed webhook URL fails in one line.
  const secrets = await loadSecrets(config, envSecretSource(env));
  const receiverUrls: { slackApiBaseUrl?: string; pagerDutyEventsUrl?: string } = {};
  if (env.FIRSTSEEN_SLACK_API_URL) receiverUrls.slackApiBaseUrl = env.FIRSTSEEN_SLACK_API_URL;
  if (env.FIRSTSEEN_PAGERDUTY_EVENTS_URL)
    receiverUrls.pagerDutyEventsUrl = env.FIRSTSEEN_PAGERDUTY_EVENTS_URL;
  checkDestinations(config, secrets, receiverUrls);

  write('Starting DynamoDB Local, kinesalite and s3rver on 127.0.0.1...\n');
  // TTL stays off (createTables): `npm run send` may bring CloudTrail files of any age, whose keys
  // DynamoDB Local's sweeper would delete by the wall clock; the claims check expiry either way.
  const stack = await startLocalStack({ shards: options.shards ?? 2 });
  const statePath = options.statePath === false ? undefined : (options.statePath ?? defaultStatePath());
  const configPath = statePath === undefined ? undefined : join(dirname(statePath), 'local-config.json');
  const stoppers: (() => Promise<void>)[] = [];
  let stopped = false;
  let wroteState = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of stoppers.splice(0).reverse()) await s().catch(() => undefined);
    // Only this stack's own files: another `npm start` may be running beside an interrupted one.
    if (wroteState && statePath !== undefined) await removeStateFile(statePath).catch(() => undefined);
    if (wroteState && configPath !== undefined) await rm(configPath, { force: true }).catch(() => undefined);
    await stack.stop();
  };
  try {
    checkInterrupted();
    const { resources: res, clients } = stack;
    write(
      `  DynamoDB ${stack.endpoints.dynamodb}  Kinesis ${stack.endpoints.kinesis}  S3 ${stack.endpoints.s3}\n`,
    );

    // The organization, its history and the live period (one plan: setup events fall in the history).
    const org = createOrganization({ seed: options.seed ?? 'firstseen-demo' });
    const period = splitPeriod({
      historyDays: options.historyDays ?? 120,
      liveMinutes: options.liveMinutes ?? 120,
      liveStart: options.liveStart ?? Date.now(),
    });
    const plan = planAnomalies(org, {
      start: period.start,
      liveStart: period.liveStart,
      end: period.end,
      scenarios: DEMO_SCENARIOS,
    });

    const seedStarted = Date.now();
    write(
      `Seeding the baseline from ${options.historyDays ?? 120} days of generated CloudTrail history...\n`,
    );
    const store = new DynamoBaselineStore({ client: clients.dynamodb, tableName: res.baselineTable });
    const seeded = await seedBaseline(
      untilInterrupted(
        signal,
        generateEvents(org, {
          start: period.start,
          end: period.liveStart,
          eventsPerDay: options.historyEventsPerDay ?? 500,
          anomalies: plan,
        }),
      ),
      config,
      store,
    );
    const seedMs = Date.now() - seedStarted;
    checkInterrupted();
    write(
      `  ${seeded.observed} events, ${seeded.keys} level keys, ${seeded.principals} principals (${(seedMs / 1000).toFixed(1)} s)\n`,
    );

    // The trail feed: a bucket for the trail's files, a queue with a dead-letter queue.
    const feed = options.feed ?? 'eventbridge';
    const trailBucket = 'firstseen-org-trail';
    const deadLetters = new LocalQueue({ name: 'firstseen-trail-dlq' });
    const trailQueue = new LocalQueue({
      visibilityTimeoutMs: 5_000,
      maxReceiveCount: 5,
      deadLetterQueue: deadLetters,
    });
    if (feed !== 'eventbridge') await createBucket(clients.s3, trailBucket);

    // The pipeline as in AWS; `console` is a readable destination beside Slack / PagerDuty.
    const deliveries: ConsoleDelivery[] = [];
    const pipeline = await startLocalPipeline({
      ...(feed === 'eventbridge' ? {} : { trail: { queue: trailQueue } }),
      stack,
      config,
      secrets,
      configName: 'local demo config',
      logLevel,
      detector: { settings: { batchSize: 500 } },
      dispatcher: {
        ...receiverUrls,
        settings: { batchSize: 25 },
        channels: new Map([
          ['console', createConsoleDestination({ write, onDelivery: (d) => deliveries.push(d) })],
        ]),
      },
    });
    stoppers.push(() => pipeline.stop());
    checkInterrupted();

    // The reference: the in-memory engine continues from the seeded baseline over the same events.
    const liveRecords = [
      ...generateEvents(org, {
        start: period.liveStart,
        end: period.end,
        eventsPerDay: options.liveEventsPerDay ?? 8000,
        anomalies: plan,
      }),
    ];
    const expected = new Map<string, Alert>();
    const decodeOptions = decodeOptionsFromConfig(config);
    for (const r of liveRecords) {
      for (const d of decodeRecord(JSON.stringify(r), decodeOptions)) {
        if (d.outcome !== 'observed') continue;
        const detection = await seeded.engine.detect(d.event, 'live');
        if (detection.alert && !expected.has(detection.alert.alertId)) {
          expected.set(detection.alert.alertId, detection.alert);
        }
      }
    }

    const liveStartedAt = Date.now();
    let published: PublishedEvent[] = [];
    if (feed !== 'trail') {
      write(
        `Streaming ${liveRecords.length} live events through Kinesis (${plan.truth.length} injected anomalies)...\n\n`,
      );
      published = await publishEvents(
        clients.kinesis,
        res.streamName,
        liveRecords.map((r) => toEventBridgeEnvelope(r)),
      );
      await waitForCheckpoints(
        pipeline.kinesisCheckpoints,
        published,
        options.drainTimeoutMs ?? 120_000,
        signal,
      );
    }
    if (feed !== 'eventbridge') {
      const files = await deliverTrailFiles({
        s3: clients.s3,
        bucket: trailBucket,
        queue: trailQueue,
        records: liveRecords,
      });
      write(
        `Delivered ${files.records} live events as ${files.files} CloudTrail log files to s3://${trailBucket} (${plan.truth.length} injected anomalies)...\n\n`,
      );
      await waitFor(
        () => trailQueue.size === 0,
        options.drainTimeoutMs ?? 120_000,
        () => `${trailQueue.size} trail notifications still queued`,
        signal,
      );
      if (deadLetters.size > 0) {
        throw new LocalStackError(`${deadLetters.size} trail notifications went to the dead-letter queue`);
      }
    }
    const alertsWritten = await countItems(stack, res.alertsTable);
    await waitFor(
      () => new Set(deliveries.map((d) => d.alertId)).size >= alertsWritten,
      options.drainTimeoutMs ?? 120_000,
      () => `${new Set(deliveries.map((d) => d.alertId)).size} of ${alertsWritten} alerts delivered`,
      signal,
    );
    const liveMs = Math.max(1, Date.now() - liveStartedAt);
    // Every destination has an outcome for every alert routed to it (console is done already).
    const deliveryStore = new DynamoDeliveryStateStore(
      DynamoDBDocumentClient.from(clients.dynamodb),
      res.alertsTable,
    );
    let destinations: DestinationResult[] = [];
    await waitFor(
      async () => {
        destinations = await destinationResults(deliveryStore, config);
        return destinations.every((d) => d.delivered + d.permanent + d.failed === d.routed);
      },
      options.drainTimeoutMs ?? 120_000,
      () => 'not every destination has an outcome for every alert',
    );
    // A short quiet period, so that a duplicate delivery would be seen.
    await new Promise((resolve) => setTimeout(resolve, 500));
    destinations = await destinationResults(deliveryStore, config);

    const summary = summarise({
      truth: plan.truth,
      deliveries,
      expected,
      published,
      liveMs,
      liveEvents: liveRecords.length,
      seed: { historyEvents: seeded.observed, keys: seeded.keys, principals: seeded.principals, ms: seedMs },
      destinations,
    });
    const ok =
      summary.scenarios.every((s) => s.ok) &&
      summary.duplicates.length === 0 &&
      summary.mismatches.length === 0 &&
      summary.destinations.every((d) => d.ok);
    write(formatSummary(summary, ok, Date.now() - started));

    checkInterrupted();
    if (statePath !== undefined && configPath !== undefined) {
      await mkdir(dirname(configPath), { recursive: true });
      wroteState = true;
      await writeFile(configPath, `${JSON.stringify(demoConfigInput(env), null, 2)}\n`);
      await writeStateFile(
        {
          pid: process.pid,
          startedAt: new Date(started).toISOString(),
          endpoints: stack.endpoints,
          streamName: res.streamName,
          alertsTable: res.alertsTable,
          baselineTable: res.baselineTable,
          configPath,
        },
        statePath,
      );
    }
    return {
      ok,
      summary,
      stack,
      publish: (events) => publishEvents(clients.kinesis, res.streamName, events),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The events, until the start-up is interrupted (seeding takes up to a minute). */
function* untilInterrupted<T>(signal: AbortSignal | undefined, events: Iterable<T>): Generator<T> {
  for (const e of events) {
    if (signal?.aborted) throw new DemoInterruptedError();
    yield e;
  }
}

async function waitFor(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: () => string,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (signal?.aborted) throw new DemoInterruptedError();
    if (Date.now() > deadline) throw new LocalStackError(`the pipeline did not catch up: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForCheckpoints(
  checkpoints: CheckpointStore,
  published: PublishedEvent[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const last = new Map<string, string>();
  for (const p of published) {
    const prev = last.get(p.shardId);
    if (prev === undefined || compareSequence(p.sequenceNumber, prev) > 0)
      last.set(p.shardId, p.sequenceNumber);
  }
  const caughtUp = async () => {
    for (const [shard, seq] of last) {
      const cp = await checkpoints.get(shard);
      if (cp === undefined || compareSequence(cp, seq) < 0) return false;
    }
    return true;
  };
  await waitFor(caughtUp, timeoutMs, () => 'the detector has not processed every record', signal);
}

/**
 * Per configured destination, what the alerts' delivery state says: routed (by the routing
 * rules), delivered, failed permanently, failed transiently or not attempted yet.
 */
async function destinationResults(
  store: DynamoDeliveryStateStore,
  config: Config,
): Promise<DestinationResult[]> {
  const results = new Map<string, DestinationResult>(
    Object.keys(config.routing.destinations).map((d) => [
      d,
      { destination: d, routed: 0, delivered: 0, permanent: 0, failed: 0, ok: false },
    ]),
  );
  for await (const { alert, delivery } of store.scanAlerts()) {
    if (alert.source === 'seed') continue;
    for (const d of routeAlert(alert, config.routing)) {
      const r = results.get(d);
      if (!r) continue;
      r.routed += 1;
      const state = delivery[d];
      if (state?.status === 'delivered') r.delivered += 1;
      else if (state?.status === 'permanent') r.permanent += 1;
      else if (state !== undefined) r.failed += 1;
      if (state?.lastError && state.status !== 'delivered') r.lastError ??= state.lastError;
    }
  }
  for (const r of results.values()) r.ok = r.delivered > 0;
  return [...results.values()];
}

async function countItems(stack: LocalStack, table: string): Promise<number> {
  let count = 0;
  for await (const page of paginateScan(
    { client: stack.clients.dynamodb },
    { TableName: table, Select: 'COUNT' },
  ))
    count += page.Count ?? 0;
  return count;
}

interface SummaryInput {
  truth: GroundTruthEntry[];
  deliveries: ConsoleDelivery[];
  expected: Map<string, Alert>;
  published: PublishedEvent[];
  liveMs: number;
  liveEvents: number;
  seed: DemoSummary['seed'];
  destinations?: DestinationResult[];
}

/** Injected vs alerted, other alerts, throughput, latency, and the comparison with the in-memory engine. */
export function summarise(input: SummaryInput): DemoSummary {
  const byId = new Map<string, ConsoleDelivery[]>();
  for (const d of input.deliveries) byId.set(d.alertId, [...(byId.get(d.alertId) ?? []), d]);
  const sameLevels = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((l) => b.includes(l));

  const injectedIds = new Set<string>();
  const scenarios = input.truth.map((t): ScenarioResult => {
    let alerted = 0;
    for (const e of t.events) {
      injectedIds.add(e.eventId);
      const got = byId.get(e.eventId) ?? [];
      if (got.length === 1 && sameLevels(got[0]!.levels, e.expectedLevels)) alerted++;
    }
    return {
      scenario: t.scenario,
      label: t.label,
      principal: t.principal,
      injected: t.events.length,
      alerted,
      ok: alerted === t.events.length,
    };
  });

  const otherAlerts = [...byId.values()]
    .map((ds) => ds[0]!)
    .filter((d) => !injectedIds.has(d.alertId))
    .map((d) => ({
      alertId: d.alertId,
      principal: d.principal,
      action: d.action,
      levels: d.levels,
      severity: d.severity,
    }));

  const duplicates = [...byId].filter(([, ds]) => ds.length > 1).map(([id]) => id);
  const mismatches: string[] = [];
  for (const [id, alert] of input.expected) {
    const got = byId.get(id);
    if (!got)
      mismatches.push(`${id}: the in-memory engine alerts (${alert.levels.join(',')}), the pipeline did not`);
    else if (!sameLevels(got[0]!.levels, alert.levels))
      mismatches.push(
        `${id}: levels ${got[0]!.levels.join(',')} delivered, ${alert.levels.join(',')} expected`,
      );
  }
  for (const id of byId.keys()) {
    if (!input.expected.has(id)) mismatches.push(`${id}: delivered, but the in-memory engine does not alert`);
  }

  const putAt = new Map(input.published.map((p) => [p.eventId, p.putAt]));
  const latencies = [...byId]
    .map(([id, ds]) => (putAt.has(id) ? ds[0]!.deliveredAt - putAt.get(id)! : undefined))
    .filter((x): x is number => x !== undefined)
    .sort((a, b) => a - b);

  return {
    scenarios,
    destinations: input.destinations ?? [],
    otherAlerts,
    liveEvents: input.liveEvents,
    eventsPerSecond: Math.round((input.liveEvents / input.liveMs) * 1000),
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    deliveredAlerts: byId.size,
    duplicates,
    mismatches,
    seed: input.seed,
  };
}

export function formatSummary(s: DemoSummary, ok: boolean, totalMs: number): string {
  const lines = [
    '',
    '══ Summary of the live period ══',
    '',
    'Injected anomalies (injected -> alerted exactly once with the expected levels):',
  ];
  for (const sc of s.scenarios) {
    lines.push(
      `  ${sc.ok ? 'ok  ' : 'MISS'} ${sc.scenario.padEnd(14)} ${sc.injected} -> ${sc.alerted}   ${sc.principal}: ${sc.label}`,
    );
  }
  lines.push(
    '',
    `Other alerts (${s.otherAlerts.length}, not injected: real first sightings in the generated traffic):`,
  );
  for (const a of s.otherAlerts) {
    lines.push(`  [${a.severity}] ${a.principal} ${a.action}  levels: ${a.levels.join(', ')}`);
  }
  lines.push(
    '',
    `Delivered alerts: ${s.deliveredAlerts}; duplicates: ${s.duplicates.length}; differences from the in-memory engine: ${s.mismatches.length}`,
  );
  for (const m of s.mismatches.slice(0, 20)) lines.push(`  ${m}`);
  lines.push('', 'Deliveries per destination (alerts routed -> delivered / failed):');
  for (const d of s.destinations) {
    const failed = d.permanent + d.failed;
    const why = failed > 0 && d.lastError ? `   last error: ${d.lastError}` : '';
    lines.push(
      `  ${d.ok ? 'ok  ' : 'FAIL'} ${d.destination.padEnd(14)} ${d.routed} -> ${d.delivered} delivered, ${failed} failed (${d.permanent} permanently)${why}`,
    );
  }
  const silent = s.destinations.filter((d) => !d.ok).map((d) => d.destination);
  lines.push(
    '',
    `Throughput: ${s.liveEvents} events at ${s.eventsPerSecond} events/s; end-to-end latency (PutRecords -> delivered) p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms`,
    `Baseline: ${s.seed.historyEvents} history events, ${s.seed.keys} keys, seeded in ${(s.seed.ms / 1000).toFixed(1)} s; total ${(totalMs / 1000).toFixed(1)} s`,
    ok
      ? 'Result: every injected anomaly alerted exactly once, and every destination received its alerts.'
      : silent.length > 0
        ? `Result: FAILED: ${silent.map((d) => `"${d}"`).join(', ')} received nothing (see above); fix the destination, then \`npm run redrive\` re-sends what failed.`
        : 'Result: FAILED (see above).',
    '',
  );
  return `${lines.join('\n')}\n`;
}
