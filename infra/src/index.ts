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
  type ForwardedRegions,
  resolveForwardedRegions,
  unforwardedRegionsWarning,
  validateRegions,
} from './regions';
export { SecureBucket, type SecureBucketArgs } from './SecureBucket';
export { secretNames } from './secretNames';
export { type ConfigGetter, readStackSettings, type StackSettings } from './stackSettings';
