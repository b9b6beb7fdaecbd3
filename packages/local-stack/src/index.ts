export type { CheckpointStore } from './CheckpointStore';
export { compareSequence, InMemoryCheckpointStore } from './CheckpointStore';
export {
  createDynamoDbClient,
  createDynamoDbStreamsClient,
  createKinesisClient,
  createS3Client,
  dummyCredentials,
  LOCAL_REGION,
  s3rverCredentials,
} from './clients';
export type { CreatedTables } from './createTables';
export { createBucket, createTables } from './createTables';

export { DynamoDbStreamPoller, readStreamEvent } from './DynamoDbStreamPoller';
export { deliverTrailFiles, objectCreatedNotification } from './deliverTrailFiles';
export { LocalStackError } from './errors';
export type { FailedBatch, OnFailureDestination } from './eventSourceMapping';
export { DEFAULT_MAPPING_SETTINGS } from './eventSourceMapping';
export { freePort } from './freePort';

export { KinesisPoller } from './KinesisPoller';

export { LocalQueue } from './LocalQueue';

export type { PublishedEvent } from './publishEvents';
export { partitionKeyOf, publishEvents } from './publishEvents';

export { QueuePoller } from './QueuePoller';
export type { Behaviour, Receiver, SlackChannelMessage, SlackReceiver } from './receivers';
export { refusedUrl, SLACK_TEST_CHANNEL_ID, startPagerDutyReceiver, startSlackReceiver } from './receivers';

export { S3OnFailureDestination } from './S3OnFailureDestination';

export type { DynamoDbLocal } from './startDynamoDbLocal';
export { startDynamoDbLocal } from './startDynamoDbLocal';

export type { LocalEmulators } from './startLocalEmulators';
export { startLocalEmulators } from './startLocalEmulators';
export type { LocalPipeline } from './startLocalPipeline';
export { startLocalPipeline } from './startLocalPipeline';
export type { LocalStack } from './startLocalStack';
export { startLocalStack } from './startLocalStack';
export type { LocalS3 } from './startS3rver';
export { startS3rver } from './startS3rver';
export type { ResolvedTargets, TargetName } from './stateFile';
export {
  defaultStatePath,
  describeLocalStack,
  readStateFile,
  removeStaleStateFile,
  removeStateFile,
  resolveTargets,
  writeStateFile,
} from './stateFile';
