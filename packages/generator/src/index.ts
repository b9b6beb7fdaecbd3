export type { ActionSpec, SdkLanguage, WorkloadKind } from './catalog';
export {
  ATTACK_TOOL_USER_AGENT,
  action,
  CDK_USER_AGENT,
  ORG_REGIONS,
  UNUSED_REGIONS,
  WORKLOADS,
} from './catalog';
export type { OrganizationOptions } from './createOrganization';
export { createOrganization } from './createOrganization';
export { GeneratorOptionsError } from './errors';
export type { GenerateOptions } from './generateEvents';
export { DAY_MS, generateEvents, resolvePeriod } from './generateEvents';
export type { AnomalyOptions } from './planAnomalies';
export { expectedSeverity, planAnomalies } from './planAnomalies';
export { hashString, Prng } from './prng';
export { isoSeconds } from './RecordFactory';
export type { Period, PeriodOptions } from './splitPeriod';
export { splitPeriod } from './splitPeriod';
export type {
  Account,
  AccountEnv,
  AnomalyPlan,
  CloudTrailRecord,
  ExpectedAlert,
  GroundTruthEntry,
  Human,
  Network,
  Organization,
  PrincipalKind,
  PrincipalProfile,
  Rhythm,
  ScenarioName,
  TimedRecord,
} from './types';
export { ATTACK_SCENARIOS, RESOURCE_SCENARIOS, SCENARIO_NAMES, SCENARIOS } from './types';
export type { CloudTrailFile, WriteStats } from './writeCloudTrailS3Layout';
export {
  cloudTrailObjectKey,
  DELIVERY_WINDOW_SEC,
  toCloudTrailFiles,
  writeCloudTrailS3Layout,
} from './writeCloudTrailS3Layout';
export type { NdjsonOptions } from './writeNdjson';
export { toNdjsonLine, writeNdjson } from './writeNdjson';
