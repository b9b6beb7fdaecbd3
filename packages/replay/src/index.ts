export { AlertFileWriter } from './AlertFileWriter';

export { checkStream, checkTables, checkWritablePath } from './checkTargets';

export { createReplayDynamoClient, createReplayKinesisClient, createReplayS3Client } from './clients';
export type { BadObjectReason } from './errors';
export {
  BadObjectError,
  CheckpointError,
  ReplayArgumentError,
  ReplayWorkerError,
  ShardedSeedSpanError,
  SourceAccessError,
  TargetAccessError,
} from './errors';

export { KinesisPublisher } from './KinesisPublisher';
export { REPLAY_NODE_FLAGS } from './nodeFlags';
export { isSkippedKey, parseObjectKey } from './objectKeys';

export { parseObject } from './parseObject';
export type { ReplayArgs } from './parseReplayArgs';
export { parseReplayArgs, USAGE } from './parseReplayArgs';

export { createProgress } from './progress';
export type { ReplaySink } from './ReplaySink';

export { reconcileSink } from './reconcileSink';

export { loadInjected, replayReport } from './renderReport';
export { exitCodeFor, loadReplayConfig } from './replayConfig';

export { runReplay } from './runReplay';

export { seedSink } from './seedSink';

export { MANIFEST_PREFIX } from './shard/rangeManifest';
export { runSeedOnAwsCommand } from './shard/runSeedOnAwsCommand';
export type { ShardSummary } from './shard/seedObjects';
export { parseShardInput, readShardEnvironment, seedObjects } from './shard/seedObjects';
export { SeedOnAwsError } from './shard/seedOnAws';
export {
  DEFAULT_ITEMS_PER_BATCH,
  DEFAULT_MAP_CONCURRENCY,
  DEFAULT_RESULT_PREFIX,
  DEFAULT_TOLERATED_FAILURE_PERCENTAGE,
  replayStateMachineDefinition,
} from './shard/stateMachine';
export { checkShardedSeedRange } from './shardedSeedRange';
export { simulateSink } from './simulateSink';
export type { ObjectSource, ReplayObject } from './sources';
export { createObjectSource, LocalObjectSource, parseSourceSpec } from './sources';
export { streamSink } from './streamSink';
export { printableSummary } from './summary';
export { WriteRateGuard } from './writeRateGuard';
