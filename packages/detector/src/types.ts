import type { Alert, Config, DetectionEngine, InvalidReason } from '@firstseen/core';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { Logger } from 'pino';

/** The alerts outbox: a conditional put on alertId. Resolves false when the alert already exists. */
export interface AlertOutbox {
  put(alert: Alert): Promise<boolean>;
}

/** Why a record was quarantined: a decoding outcome from core, or a bug while processing it. */
export type QuarantineReason = InvalidReason | 'processing-error';

/** One quarantined Kinesis record (docs/semantics.md: invalid records are kept, never retried). */
export interface QuarantineItem {
  reason: QuarantineReason;
  detail?: string;
  /** Every invalid outcome of the record (a CloudWatch Logs payload can hold several). */
  outcomes: { reason: QuarantineReason; detail?: string }[];
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  /** Kinesis approximateArrivalTimestamp, epoch seconds (may carry a fraction). */
  approximateArrivalTimestamp: number;
  eventSourceARN?: string;
  /**
   * The record's data: its base64-decoded bytes when `kinesis.data` was valid base64, else (a
   * string) `kinesis.data` exactly as Lambda gave it.
   */
  data: Uint8Array | string;
}

/** Where invalid records go. Writing the same record twice must be harmless (a redelivery). */
export interface Quarantine {
  put(item: QuarantineItem): Promise<void>;
}

/** The latest event time per (account, region), for the silence watchdog. Best effort. */
export interface HeartbeatRecorder {
  record(account: string, region: string, time: number): Promise<unknown>;
}

/** Receives one Embedded Metric Format JSON line per invocation. */
export type MetricsSink = (line: string) => void;

export interface DetectorDeps {
  engine: DetectionEngine;
  outbox: AlertOutbox;
  quarantine: Quarantine;
  heartbeats?: HeartbeatRecorder;
  logger: Logger;
  metrics: MetricsSink;
  config: Config;
  /** Epoch milliseconds (EMF timestamp). */
  clock: () => number;
  /** Function name: the EMF dimension. Default `firstseen-detector`. */
  functionName?: string;
  /** Principals processed at once (default 8); one principal's events always run one at a time. */
  concurrency?: number;
  /** Total DynamoDB requests made by this process so far (e.g. from attachRequestCounter). */
  dynamodbRequests?: () => number;
}

/** Per-invocation counts, emitted as EMF metrics. */
export interface DetectorCounts {
  records: number;
  observed: number;
  ignored: number;
  /** Of `ignored`: envelopes whose `source` is not `aws.*` (forged; docs/semantics.md "Input"). */
  untrustedSource: number;
  /** Observed envelopes whose `account` differs from the record's `recipientAccountId`. */
  accountMismatch: number;
  invalid: number;
  quarantined: number;
  processingErrors: number;
  storeRequests: number;
  cacheHits: number;
  dynamodbRequests: number;
  levelsFired: number;
  suppressed: number;
  alerts: number;
  duplicateAlerts: number;
  failed: number;
}

export type { KinesisStreamRecord };
