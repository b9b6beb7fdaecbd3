export type { CheckpointStore } from './CheckpointStore';
export { compareSequence, FileCheckpointStore, InMemoryCheckpointStore } from './CheckpointStore';
export {
  createDynamoDbClient,
  createDynamoDbStreamsClient,
  createKinesisClient,
  createS3Client,
  dummyCredentials,
  LOCAL_REGION,
  s3rverCredentials,
} from './clients';
export type { CreatedTable, CreatedTables, CreateTablesOptions } from './createTables';
export { createBucket, createTables } from './createTables';
export type { DynamoDbStreamHandler, DynamoDbStreamPollerOptions } from './DynamoDbStreamPoller';
export { DynamoDbStreamPoller, insertOnly, readStreamEvent } from './DynamoDbStreamPoller';
export { deliverTrailFiles, objectCreatedNotification } from './deliverTrailFiles';
export { EmulatorIntegrityError, EmulatorStartError, JavaNotFoundError, LocalStackError } from './errors';
export type {
  EventSourceMappingSettings,
  FailedBatch,
  FailureCondition,
  OnFailureDestination,
  ShardRecord,
} from './eventSourceMapping';
export { DEFAULT_MAPPING_SETTINGS } from './eventSourceMapping';
export { freePort } from './freePort';
export type { KinesisHandler, KinesisPollerOptions } from './KinesisPoller';
export { KinesisPoller } from './KinesisPoller';
export type { LocalQueueOptions } from './LocalQueue';
export { LocalQueue } from './LocalQueue';
export type { ProvisionedDynamoDbLocal, ProvisionOptions } from './provisionDynamoDbLocal';
export { provisionDynamoDbLocal } from './provisionDynamoDbLocal';
export type { PublishedEvent, StreamEvent } from './publishEvents';
export { partitionKeyOf, publishEvents } from './publishEvents';
export type { QueuePollerOptions } from './QueuePoller';
export { QueuePoller } from './QueuePoller';
export type {
  Behaviour,
  ReceivedRequest,
  Receiver,
  Reply,
  SlackChannelMessage,
  SlackReceiver,
} from './receivers';
export { refusedUrl, SLACK_TEST_CHANNEL_ID, startPagerDutyReceiver, startSlackReceiver } from './receivers';
export type { S3OnFailureDestinationOptions } from './S3OnFailureDestination';
export { S3OnFailureDestination } from './S3OnFailureDestination';
export type { BatchResponse, ShardInfo, ShardSource, StreamPollerOptions } from './StreamPoller';
export { StreamPoller } from './StreamPoller';
export type { DynamoDbLocal, DynamoDbLocalOptions } from './startDynamoDbLocal';
export { startDynamoDbLocal } from './startDynamoDbLocal';
export type { KinesaliteOptions, LocalKinesis } from './startKinesalite';
export { startKinesalite } from './startKinesalite';
export type { LocalEmulators, LocalEmulatorsOptions } from './startLocalEmulators';
export { startLocalEmulators } from './startLocalEmulators';
export type { LocalMappingOptions, LocalPipeline, LocalPipelineOptions } from './startLocalPipeline';
export { startLocalPipeline } from './startLocalPipeline';
export type { LocalStack, LocalStackOptions, LocalStackResources } from './startLocalStack';
export { startLocalStack } from './startLocalStack';
export type { LocalS3, S3rverOptions } from './startS3rver';
export { startS3rver } from './startS3rver';
export type { LocalStackState, ResolvedTargets, TargetName, TargetRequest, Targets } from './stateFile';
export {
  defaultStatePath,
  describeLocalStack,
  findLocalStack,
  readStateFile,
  removeStaleStateFile,
  removeStateFile,
  resolveTargets,
  writeStateFile,
} from './stateFile';
