export {
  CENTRAL_DETAIL_TYPES,
  FORWARDED_DETAIL_TYPES,
  FUNCTION_NAMES,
  type FunctionName,
  GLOBAL_EVENTS_REGION,
  PARTITION_KEY_PATH,
} from './constants';
export { InfraConfigError } from './errors';
export {
  bundleAssets,
  FirstseenFunction,
  type FirstseenFunctionArgs,
  type FunctionSettings,
  type ScheduledSettings,
  type StreamConsumerSettings,
} from './FirstseenFunction';
export { FirstseenPipeline, type FirstseenPipelineArgs } from './FirstseenPipeline';
export {
  CENTRAL_BUS_PARAMETER,
  type Coverage,
  forwarderRuleName,
  forwardingEventPattern,
  forwardingTemplate,
  ruleStateFor,
} from './forwardingTemplate';
export { OrganizationForwarding, type OrganizationForwardingArgs } from './OrganizationForwarding';
export { assumeRolePolicy, policyJson, type Statement } from './policyDocument';
export { ReplayAccess, type ReplayAccessArgs } from './ReplayAccess';
export {
  DEFAULT_SEED_WRITE_UNITS_PER_SECOND,
  DEFAULT_SHARD_MEMORY_MB,
  ReplayOnAws,
  type ReplayOnAwsArgs,
  type ReplayOnAwsSettings,
} from './ReplayOnAws';
export {
  AWS_REGIONS,
  type ForwardedRegions,
  resolveForwardedRegions,
  unforwardedRegionsWarning,
  validateRegions,
} from './regions';
export { SecureBucket, type SecureBucketArgs } from './SecureBucket';
export {
  type AdvancedEventSelector,
  MAX_S3_DATA_EVENT_BUCKETS,
  S3DataEventsSchema,
  type S3DataEventsSettings,
  s3DataEventSelectors,
  s3DataEventsCommand,
} from './s3DataEvents';
export { secretNameProblem, secretNames } from './secretNames';
export { checkStackFile, readStackFile, type StackFileSettings, stackFiles } from './stackFile';
export {
  type ConfigGetter,
  checkDetectionConfig,
  readStackSettings,
  STACK_SETTING_KEYS,
  type StackSettings,
  type StackSettingsSource,
} from './stackSettings';
