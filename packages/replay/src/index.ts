export { AlertFileWriter } from './AlertFileWriter';
export type { Checkpoint, CheckpointIdentity } from './checkpoint';
export { loadCheckpoint, saveCheckpoint } from './checkpoint';
export { checkStream, checkTables, checkWritablePath } from './checkTargets';
export type { ClientOptions } from './clients';
export { createReplayDynamoClient, createReplayKinesisClient, createReplayS3Client } from './clients';
export type { BadObjectReason } from './errors';
export {
  BadObjectError,
  CheckpointError,
  ReplayArgumentError,
  ReplayError,
  SourceAccessError,
  StreamPutError,
  TargetAccessError,
} from './errors';
export { isFailedBatchKey } from './failedBatch';
export type { KinesisPublisherOptions, PublisherStats } from './KinesisPublisher';
export {
  KinesisPublisher,
  MAX_BYTES_PER_CALL,
  MAX_BYTES_PER_RECORD,
  MAX_RECORDS_PER_CALL,
} from './KinesisPublisher';
export type { KeyInfo, ReplayFilters } from './objectKeys';
export { compareObjectKeys, isDataFile, isSkippedKey, keyMayMatch, parseObjectKey } from './objectKeys';
export { PrincipalOrderedRunner } from './PrincipalOrderedRunner';
export type { FileValue } from './parseObject';
export { parseObject } from './parseObject';
export type { ReplayArgs } from './parseReplayArgs';
export { parseReplayArgs, USAGE } from './parseReplayArgs';
export { partitionKeyOf } from './partitionKeyOf';
export type { ProgressOptions } from './progress';
export { createProgress } from './progress';
export type { ReplaySink, SinkContext } from './ReplaySink';
export type { AlertSink, ReconcileOptions } from './reconcileSink';
export { reconcileSink } from './reconcileSink';
export { outsideFilters } from './recordFilter';
export { loadInjected, replayReport } from './renderReport';
export { exitCodeFor, loadReplayConfig } from './replayConfig';
export type { BaselineSnapshot } from './restoreBaseline';
export { levelKeyOf, restoreBaseline, snapshotBaseline } from './restoreBaseline';
export type { ReplayDeps, ReplayLogger, ReplayOptions, ReplayProgress } from './runReplay';
export { runReplay } from './runReplay';
export type { SeedOptions } from './seedSink';
export { seedSink } from './seedSink';
export type { SeedOnAwsCommandDeps } from './shard/runSeedOnAwsCommand';
export { runSeedOnAwsCommand, STATE_MACHINE_ARN_VARIABLE } from './shard/runSeedOnAwsCommand';
export type {
  SeedObjectsDeps,
  ShardBatchInput,
  ShardEnvironment,
  ShardInput,
  ShardItem,
  ShardSummary,
} from './shard/seedObjects';
export {
  mergeShardSummaries,
  parseShardInput,
  readShardEnvironment,
  ShardInputError,
  seedObjects,
} from './shard/seedObjects';
export type {
  FailedBatch,
  MapRunProgress,
  SeedOnAwsDeps,
  SeedOnAwsOptions,
  SeedOnAwsResult,
} from './shard/seedOnAws';
export { formatMapRunProgress, SeedOnAwsError, seedExecutionInput, seedOnAws } from './shard/seedOnAws';
export type { ReplayStateMachineOptions, SeedExecutionInput } from './shard/stateMachine';
export {
  DEFAULT_ITEMS_PER_BATCH,
  DEFAULT_MAP_CONCURRENCY,
  DEFAULT_RESULT_PREFIX,
  DEFAULT_TOLERATED_FAILURE_PERCENTAGE,
  MAX_INPUT_BYTES_PER_BATCH,
  replayStateMachineDefinition,
  SEED_MAP_STATE,
  SEED_TASK_STATE,
} from './shard/stateMachine';
export type { SimulateOptions } from './simulateSink';
export { simulateSink } from './simulateSink';
export type { ObjectSource, ReplayObject, SourceSpec } from './sources';
export {
  createObjectSource,
  isReplayableS3Key,
  LocalObjectSource,
  parseSourceSpec,
  S3ObjectSource,
  StreamObjectSource,
} from './sources';
export { streamSink } from './streamSink';
export type { BadObject, DayTally, ReplayMode, ReplaySummary, TallyOptions } from './summary';
export { countDetection, countOutcome, emptySummary, printableSummary, topPrincipals } from './summary';
export type { WriteRateGuardOptions } from './writeRateGuard';
export { WriteRateGuard } from './writeRateGuard';
