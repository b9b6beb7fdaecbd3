export type { AccountInfo } from './accountInfo';
export {
  ACCOUNT_NAME_MAX,
  AccountInfoSchema,
  boundAccountInfo,
  describeAccount,
  withAccountInfo,
} from './accountInfo';
export type { Alert, AlertContext, ClaimSource, Level, Severity } from './alert';
export { AlertSchema, ClaimSourceSchema, LevelSchema, parseAlert, SeveritySchema } from './alert';
export type { BaselineStore, CasResult, ClaimRequest, ClaimResult } from './BaselineStore';
export type { DecodeOptions, IgnoreRuleMatch } from './classifyRecord';
export {
  classifyRecord,
  DEFAULT_MAX_BYTES,
  decodeOptionsFromConfig,
  matchIgnoreRule,
  TRUSTED_SOURCE_PREFIX,
} from './classifyRecord';
export { HelpRequested, numberOption, parseCommandLine, parseDuration, UsageError } from './commandLine';
export type {
  Config,
  ConfigInput,
  Destination,
  IgnoreRules,
  Owner,
  RoutingRule,
  SeverityRule,
} from './config';
export {
  ConfigSchema,
  DEFAULT_SENSITIVE_ACTIONS,
  DEFAULT_SEVERITY_RULES,
  DestinationSchema,
  defaultConfig,
  IgnoreRulesSchema,
  OwnerSchema,
  parseConfig,
  RoutingRuleSchema,
  RoutingSchema,
  SeverityRuleSchema,
} from './config';
export type { SuppressionCheckOptions } from './createSuppressionCheck';
export { createSuppressionCheck, DEFAULT_SUPPRESSION_CACHE_TTL_MS } from './createSuppressionCheck';
export type {
  ContextProvider,
  Detection,
  DetectionEngineOptions,
  EventObserver,
  KeyCache,
  KeyCacheOptions,
  SuppressionCheck,
} from './DetectionEngine';
export { createKeyCache, DetectionEngine } from './DetectionEngine';
export { decodeRecord } from './decodeRecord';
export type { EnvironmentReader } from './environmentReader';
export { environmentReader } from './environmentReader';
export { ConfigError, FirstseenError, TransientStoreError } from './errors';
export type { CloudTrailBusEvent } from './eventBridgeEnvelope';
export { asEventBridgeEnvelope, toEventBridgeEnvelope } from './eventBridgeEnvelope';
export type {
  AccessMode,
  AlertEvidence,
  AlertTarget,
  EvidenceItem,
  TargetParameter,
} from './evidence';
export {
  AlertEvidenceSchema,
  callTargets,
  EVIDENCE_MAX_CHARS,
  EVIDENCE_MAX_TARGETS,
  evidenceItems,
  extractEvidence,
  TARGET_PARAMETERS,
} from './evidence';
export { globToRegExp, matchesAnyGlob, matchesGlob } from './glob';
export { InMemoryBaselineStore } from './InMemoryBaselineStore';
export { InMemorySuppressionStore } from './InMemorySuppressionStore';
export { isRetryableError } from './isRetryableError';
export { lazyRuntime } from './lazyRuntime';
export {
  bucketOf,
  DAY_MS,
  KEY_PREFIXES,
  levelKeys,
  levelOfPk,
  MAX_BUCKET_NAME_LENGTH,
  principalKey,
  REFRESH_DAYS,
  resourceKey,
} from './levelKeys';
export { loadConfigFile, loadConfigFileSync, parseConfigJson } from './loadConfig';
export type { LoggerOptions } from './logger';
export { createLogger, LOG_LEVEL_VARIABLE, REDACT_PATHS } from './logger';
export { emfLine, METRICS_NAMESPACE, stdoutMetricsSink } from './metrics';
export type { NoAlertCode, NoAlertReason } from './noAlertReason';
export { describeNoAlert, ignoredReason, suppressionReason } from './noAlertReason';
export type { PrincipalOutcome } from './normalisePrincipal';
export {
  isRootPrincipal,
  normalisePrincipal,
  ROOT_PRINCIPAL_PREFIX,
  sessionNameOf,
} from './normalisePrincipal';
export { OFFENSIVE_USER_AGENTS, offensiveUserAgent } from './offensiveUserAgent';
export { SeedBaselineStore } from './SeedBaselineStore';
export type { CloudTrailRecord, CloudWatchLogsPayload, EventBridgeEnvelope } from './schemas';
export {
  CLOUDTRAIL_DETAIL_TYPES,
  CloudTrailRecordSchema,
  CloudWatchLogsPayloadSchema,
  EVENT_TIME_PATTERN,
  EventBridgeEnvelopeSchema,
  EventTimeSchema,
  parseEventTime,
} from './schemas';
export { mergeSeedState, seedStateChanged } from './seedMerge';
export type { Suppression, SuppressionReason, SuppressionStore } from './suppression';
export {
  needsExactSuppression,
  suppressionId,
  suppressionMatches,
  suppressionRefusal,
} from './suppression';
export type {
  Decoded,
  IgnoreReason,
  InvalidReason,
  KeyLevel,
  KeyState,
  LevelKey,
  ObservedEvent,
} from './types';
export { KEY_LEVELS, LEVELS } from './types';
