/**
 * The settings of a stream event source mapping, with Lambda's meanings (API
 * CreateEventSourceMapping): records per batch, how long to gather a batch, retries of a
 * failing batch (-1 = until the record expires), the age past which records are discarded
 * (-1 = never), splitting a batch on a function error, and partial batch responses.
 */
export interface EventSourceMappingSettings {
  batchSize: number;
  maximumBatchingWindowMs: number;
  maximumRetryAttempts: number;
  maximumRecordAgeSeconds: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
}

/**
 * The detector mapping's settings in infra (FirstseenPipeline DEFAULTS), except the batching
 * window, 0 here so that tests and the demo do not wait a second per batch.
 */
export const DEFAULT_MAPPING_SETTINGS: EventSourceMappingSettings = {
  batchSize: 100,
  maximumBatchingWindowMs: 0,
  maximumRetryAttempts: 10,
  maximumRecordAgeSeconds: 21_600,
  bisectBatchOnFunctionError: true,
  reportBatchItemFailures: true,
};

/** Why records went to the on-failure destination (Lambda's `requestContext.condition`). */
export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** One record of a shard as the poller holds it. */
export interface ShardRecord<R> {
  /** The record exactly as the handler receives it inside the event. */
  record: R;
  sequenceNumber: string;
  /** Approximate arrival (Kinesis) or creation (DynamoDB) time, epoch milliseconds. */
  arrivalMs: number;
}

/** Metadata of discarded records, the shape Lambda sends to an on-failure destination. */
export interface FailedBatch<R> {
  condition: FailureCondition;
  shardId: string;
  streamArn: string;
  functionName: string;
  approximateInvokeCount: number;
  /** The last function error, when the function was invoked and failed. */
  functionError?: string;
  records: ShardRecord<R>[];
}

/** Where discarded batches go (Lambda's DestinationConfig.OnFailure). */
export interface OnFailureDestination {
  send(batch: FailedBatch<unknown>, payload: unknown): Promise<void>;
}
