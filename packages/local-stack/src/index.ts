export {
  createDynamoDbClient,
  createDynamoDbStreamsClient,
  createKinesisClient,
  createS3Client,
  dummyCredentials,
  LOCAL_REGION,
} from './clients';
export type { CreatedTable, CreatedTables } from './createTables';
export { createBucket, createTables } from './createTables';
export { EmulatorIntegrityError, EmulatorStartError, JavaNotFoundError, LocalStackError } from './errors';
export { freePort, LOOPBACK } from './freePort';
export type { ProvisionedDynamoDbLocal, ProvisionOptions } from './provisionDynamoDbLocal';
export {
  DYNAMODB_LOCAL_JAR_SHA256,
  DYNAMODB_LOCAL_PACKAGE,
  DYNAMODB_LOCAL_PACKAGE_VERSION,
  defaultCacheDir,
  provisionDynamoDbLocal,
} from './provisionDynamoDbLocal';
export type { DynamoDbLocal, DynamoDbLocalOptions } from './startDynamoDbLocal';
export { startDynamoDbLocal } from './startDynamoDbLocal';
export type { KinesaliteOptions, LocalKinesis } from './startKinesalite';
export { startKinesalite } from './startKinesalite';
export type { LocalEmulators, LocalEmulatorsOptions } from './startLocalEmulators';
export { startLocalEmulators } from './startLocalEmulators';
export type { LocalS3, S3rverOptions } from './startS3rver';
export { startS3rver } from './startS3rver';
