import { type Decoded, decodeRecord, ignoredReason, type ObservedEvent } from '@firstseen/core';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { batchItemFailures } from './batchItemFailures';
import { isTransientError } from './isTransientError';
import { decodeBase64Strict, shardIdOf } from './kinesisRecords';
import { emptyCounts, formatEmfLine } from './metrics';
import type { DetectorCounts, DetectorDeps, QuarantineItem, QuarantineReason } from './types';

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_FUNCTION_NAME = 'firstseen-detector';

/** One Kinesis record of the batch and what became of it. */
interface RecordState {
  record: KinesisStreamRecord;
  shardId: string;
  sequenceNumber: string;
  /** The base64-decoded data; undefined when `kinesis.data` was not valid base64. */
  bytes: Uint8Array | undefined;
  invalid: { reason: QuarantineReason; detail?: string }[];
  /** Set when processing one of its events failed transiently: the record is reported. */
  failed: boolean;
  /** Set when processing one of its events threw a non-transient error (a bug): quarantined. */
  processingError?: unknown;
  log?: Logger;
}

interface Task {
  state: RecordState;
  event: ObservedEvent;
}

/**
 * The detector's batch step (docs/semantics.md data flow): decode every record, run the detection
 * engine over the observed events, write one outbox item per alert, quarantine invalid
 * records, and answer with Lambda's partial batch response.
 *
 * Order: events are grouped by principal in arrival order; principals run concurrently (bounded)
 * and each principal's events one at a time, so the first occurrence in the batch claims and
 * repeats are answered by the engine's cache. Principals whose events share an eventID run as
 * one group, so the first alert for an eventID is the first in arrival order.
 *
 * Failures:
 * - invalid records are quarantined and acknowledged: a poison record never blocks a shard;
 * - a transient failure (store throttling or timeout after the SDK's retries, an outbox or
 *   quarantine write failure) marks the record failed; the principal's later events in this
 *   batch are not run (they are marked failed too, so its order holds on redelivery), other
 *   principals carry on. Per shard the lowest failed record and all after it are reported;
 *   Lambda redelivers from there, and every transition is idempotent for the same eventID
 *   (re-claim, first success, window) while the outbox put is conditional on alertId, so a
 *   redelivered event re-fires and its alert is written exactly once;
 * - any other exception is a bug in handling that record. Retrying it would fail the same way
 *   until the record leaves the stream, stalling every principal of the shard meanwhile, and
 *   the on-failure destination keeps only pointers, not data. So the record is quarantined with
 *   reason `processing-error` (raw data kept for redrive once fixed) and acknowledged; only if
 *   that quarantine write fails is it reported for retry.
 */
export async function processKinesisBatch(
  event: KinesisStreamEvent,
  deps: DetectorDeps,
): Promise<KinesisStreamBatchResponse> {
  const records = event.Records ?? [];
  const run = startBatch(deps, records.length);
  const { states, tasks } = decodeBatch(run, records);
  const heartbeats = await detectInOrder(run, tasks);
  await quarantineRecords(run, states);
  await recordHeartbeats(run, heartbeats);
  return respond(run, records, states);
}

/** What the phases of one batch share. */
interface BatchRun {
  deps: DetectorDeps;
  counts: DetectorCounts;
  limit: ReturnType<typeof pLimit>;
  requestsBefore: number;
}

type Heartbeats = Map<string, { account: string; region: string; time: number }>;

function startBatch(deps: DetectorDeps, records: number): BatchRun {
  const counts = emptyCounts();
  counts.records = records;
  return {
    deps,
    counts,
    limit: pLimit(Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY)),
    requestsBefore: deps.dynamodbRequests?.() ?? 0,
  };
}

function recordLog(run: BatchRun, s: RecordState): Logger {
  s.log ??= run.deps.logger.child({ shardId: s.shardId, sequenceNumber: s.sequenceNumber });
  return s.log;
}

/** Decode every record; observed events become tasks in arrival order. */
function decodeBatch(
  run: BatchRun,
  records: KinesisStreamRecord[],
): { states: RecordState[]; tasks: Task[] } {
  const { counts } = run;
  const states: RecordState[] = [];
  const tasks: Task[] = [];
  for (const record of records) {
    const state: RecordState = {
      record,
      shardId: shardIdOf(record),
      sequenceNumber: record.kinesis.sequenceNumber,
      bytes: undefined,
      invalid: [],
      failed: false,
    };
    states.push(state);
    for (const decoded of decodeKinesisData(state, run.deps.config)) {
      switch (decoded.outcome) {
        case 'observed': {
          counts.observed++;
          tasks.push({ state, event: decoded.event });
          if (decoded.accountMismatch) {
            counts.accountMismatch++;
            recordLog(run, state).warn(
              {
                envelopeAccount: decoded.accountMismatch.envelope,
                recipientAccountId: decoded.accountMismatch.recipient,
                eventId: decoded.event.eventId,
              },
              'envelope account differs from recipientAccountId: observed',
            );
          }
          break;
        }
        case 'ignored':
          counts.ignored++;
          // Why nothing alerted (issue 25): which ignore rule, coverage or identity dropped it.
          if (run.deps.logger.isLevelEnabled('debug')) {
            recordLog(run, state).debug(
              { eventId: bounded(decoded.eventId), why: ignoredReason(decoded) },
              'record ignored: no alert',
            );
          }
          if (decoded.reason === 'untrusted-source') {
            // A forged envelope: someone with PutEvents upstream, not CloudTrail. The account is
            // the caller's (EventBridge sets it), so it says where to look.
            counts.untrustedSource++;
            recordLog(run, state).warn(
              { envelopeAccount: decoded.envelopeAccount, detail: decoded.detail },
              'envelope from an untrusted source ignored',
            );
          }
          break;
        case 'invalid': {
          counts.invalid++;
          const outcome: { reason: QuarantineReason; detail?: string } = { reason: decoded.reason };
          if (decoded.detail !== undefined) outcome.detail = decoded.detail;
          state.invalid.push(outcome);
          break;
        }
      }
    }
  }
  return { states, tasks };
}

/**
 * Detect, per principal in order, principals concurrently. After a transient failure the
 * principal's later events are not run (marked failed, so its order holds on redelivery).
 * Returns the latest event time per (account, region) for the heartbeats.
 */
async function detectInOrder(run: BatchRun, tasks: Task[]): Promise<Heartbeats> {
  const heartbeats: Heartbeats = new Map();
  await Promise.all(
    sequentialGroups(tasks).map((group) =>
      run.limit(async () => {
        let principalFailed = false;
        for (const task of group) {
          if (principalFailed) {
            task.state.failed = true;
            continue;
          }
          principalFailed = !(await detectOne(run, task, heartbeats));
        }
      }),
    ),
  );
  return heartbeats;
}

/** One event through the engine and the outbox; false after a transient failure. */
async function detectOne(run: BatchRun, { state, event: e }: Task, heartbeats: Heartbeats): Promise<boolean> {
  const { counts, deps } = run;
  try {
    const detection = await deps.engine.detect(e, 'live');
    counts.storeRequests += detection.storeRequests;
    counts.cacheHits += detection.cacheHits;
    counts.levelsFired += detection.fired.length;
    if (detection.suppressed) counts.suppressed++;
    // Why levels fired but nothing alerted (burn-in until when, which suppression, seed).
    if (detection.why && detection.fired.length > 0 && deps.logger.isLevelEnabled('debug')) {
      recordLog(run, state).debug(
        {
          eventId: bounded(e.eventId),
          principal: bounded(e.principal),
          action: bounded(e.action),
          levels: detection.fired,
          why: detection.why,
        },
        'levels fired: no alert',
      );
    }
    if (detection.alert) {
      const created = await deps.outbox.put(detection.alert);
      if (created) {
        counts.alerts++;
        recordLog(run, state).info(
          {
            alertId: detection.alert.alertId,
            principal: detection.alert.principal,
            action: detection.alert.action,
            levels: detection.alert.levels,
            severity: detection.alert.severity,
          },
          'alert written',
        );
      } else {
        counts.duplicateAlerts++;
      }
    }
    const hbKey = `${e.account}\u0000${e.region}`;
    const hb = heartbeats.get(hbKey);
    if (!hb || hb.time < e.time)
      heartbeats.set(hbKey, { account: e.account, region: e.region, time: e.time });
    return true;
  } catch (err) {
    if (isTransientError(err)) {
      state.failed = true;
      recordLog(run, state).warn({ err, eventId: e.eventId }, 'transient failure: record will be retried');
      return false;
    }
    state.processingError ??= err;
    recordLog(run, state).error({ err, eventId: e.eventId }, 'processing error: record quarantined');
    return true;
  }
}

/** Quarantine invalid records and records that hit a bug; a failed write reports the record. */
async function quarantineRecords(run: BatchRun, states: RecordState[]): Promise<void> {
  const { counts, deps } = run;
  await Promise.all(
    states
      .filter((s) => s.invalid.length > 0 || (s.processingError !== undefined && !s.failed))
      .map((s) =>
        run.limit(async () => {
          const item = quarantineItem(s);
          try {
            await deps.quarantine.put(item);
            counts.quarantined++;
            recordLog(run, s).warn(
              { reason: item.reason, detail: item.detail, partitionKey: s.record.kinesis.partitionKey },
              'record quarantined',
            );
          } catch (err) {
            s.failed = true;
            recordLog(run, s).error(
              { err, reason: item.reason },
              'quarantine write failed: record will be retried',
            );
          }
        }),
      ),
  );
  counts.processingErrors = states.filter((s) => s.processingError !== undefined).length;
}

/** Heartbeats feed the silence watchdog; a missed one is repaired by the next batch. */
async function recordHeartbeats(run: BatchRun, heartbeats: Heartbeats): Promise<void> {
  const { deps } = run;
  const recorder = deps.heartbeats;
  if (!recorder) return;
  await Promise.all(
    [...heartbeats.values()].map((h) =>
      run.limit(async () => {
        try {
          await recorder.record(h.account, h.region, h.time);
        } catch (err) {
          deps.logger.warn({ err, account: h.account, region: h.region }, 'heartbeat write failed');
        }
      }),
    ),
  );
}

/** Lambda's partial batch response, the batch's metrics line and its log summary. */
function respond(
  run: BatchRun,
  records: KinesisStreamRecord[],
  states: RecordState[],
): KinesisStreamBatchResponse {
  const { counts, deps } = run;
  const failed = new Set(states.filter((s) => s.failed).map((s) => s.record));
  const failures = batchItemFailures(records, failed);
  counts.failed = failures.length;
  counts.dynamodbRequests = (deps.dynamodbRequests?.() ?? 0) - run.requestsBefore;
  deps.metrics(formatEmfLine(counts, deps.functionName ?? DEFAULT_FUNCTION_NAME, deps.clock()));
  logSummary(deps.logger, counts, failures.length);
  return { batchItemFailures: failures };
}

/**
 * Splits the batch's events into groups that must run one at a time, in arrival order: all
 * events of one principal, merged with any other principal's group that shares an eventID.
 * (Real eventIDs are unique; where two records reuse one, "the first alert written for an
 * eventID stands" must mean the first in arrival order, not whichever principal ran faster.)
 */
function sequentialGroups(tasks: Task[]): Task[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    for (let n = x; n !== root; ) {
      const next = parent.get(n)!;
      parent.set(n, root);
      n = next;
    }
    return root;
  };
  const union = (a: string, b: string): void => {
    for (const k of [a, b]) if (!parent.has(k)) parent.set(k, k);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const t of tasks) union(`p\u0000${t.event.principal}`, `e\u0000${t.event.eventId}`);
  const groups = new Map<string, Task[]>();
  for (const t of tasks) {
    const root = find(`p\u0000${t.event.principal}`);
    const group = groups.get(root);
    if (group) group.push(t);
    else groups.set(root, [t]);
  }
  return [...groups.values()];
}

function decodeKinesisData(state: RecordState, config: DetectorDeps['config']): Decoded[] {
  const data = state.record.kinesis.data;
  const bytes = typeof data === 'string' ? decodeBase64Strict(data) : undefined;
  if (bytes === undefined) {
    return [{ outcome: 'invalid', reason: 'bad-encoding', detail: 'kinesis.data is not valid base64' }];
  }
  state.bytes = bytes;
  try {
    return decodeRecord(bytes, { coverage: config.coverage, ignore: config.ignore });
  } catch (err) {
    // decodeRecord reports bad input as outcomes; a throw is a bug, handled like one in detection.
    state.processingError = err;
    return [];
  }
}

function quarantineItem(s: RecordState): QuarantineItem {
  const outcomes = [...s.invalid];
  if (s.processingError !== undefined) {
    outcomes.push({ reason: 'processing-error', detail: describeError(s.processingError) });
  }
  const first = outcomes[0]!;
  const item: QuarantineItem = {
    reason: first.reason,
    outcomes,
    shardId: s.shardId,
    sequenceNumber: s.sequenceNumber,
    partitionKey: s.record.kinesis.partitionKey,
    approximateArrivalTimestamp: s.record.kinesis.approximateArrivalTimestamp,
    data: s.bytes ?? s.record.kinesis.data,
  };
  if (first.detail !== undefined) item.detail = first.detail;
  if (s.record.eventSourceARN) item.eventSourceARN = s.record.eventSourceARN;
  return item;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 1000);
  return String(err).slice(0, 1000);
}

function logSummary(logger: Logger, counts: DetectorCounts, failures: number): void {
  const level = failures > 0 || counts.processingErrors > 0 ? 'warn' : 'info';
  logger[level]({ counts }, 'batch processed');
}

/** A record's string as a debug log field: bounded (records are attacker-controlled). */
function bounded(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 200 ? `${value.slice(0, 200)}…` : value;
}
