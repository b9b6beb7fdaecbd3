export type { AccountInfo } from './accountInfo';
export { ACCOUNT_NAME_MAX, boundAccountInfo, describeAccount, withAccountInfo } from './accountInfo';
export type { Alert, AlertContext, ClaimSource, Level, Severity } from './alert';
export { LevelSchema, parseAlert } from './alert';
export type { BaselineStore, CasResult, ClaimRequest, ClaimResult } from './BaselineStore';
export type { DecodeOptions } from './classifyRecord';
export {
  classifyRecord,
  DEFAULT_MAX_BYTES,
  decodeOptionsFromConfig,
  matchIgnoreRule,
  TRUSTED_SOURCE_PREFIX,
} from './classifyRecord';
export { HelpRequested, numberOption, parseCommandLine, parseDuration, UsageError } from './commandLine';
export type { Config, ConfigInput, IgnoreRules, Owner } from './config';
export { DEFAULT_SENSITIVE_ACTIONS, defaultConfig, IgnoreRulesSchema, parseConfig } from './config';

export { createSuppressionCheck } from './createSuppressionCheck';
export type { ContextProvider, Detection, EventObserver, SuppressionCheck } from './DetectionEngine';
export { createKeyCache, DetectionEngine } from './DetectionEngine';
export { decodeRecord } from './decodeRecord';

export { environmentReader } from './environmentReader';
export { ConfigError, FirstseenError, TransientStoreError } from './errors';

export { asEventBridgeEnvelope, toEventBridgeEnvelope } from './eventBridgeEnvelope';

export { evidenceItems } from './evidence';
export { matchesAnyGlob, matchesGlob } from './glob';
export { InMemoryBaselineStore } from './InMemoryBaselineStore';
export { InMemorySuppressionStore } from './InMemorySuppressionStore';
export { isRetryableError } from './isRetryableError';
export { lazyRuntime } from './lazyRuntime';
export {
  bucketOf,
  DAY_MS,
  levelKeys,
  levelOfPk,
  MAX_BUCKET_NAME_LENGTH,
  principalKey,
  resourceKey,
} from './levelKeys';
export { loadConfigFile, loadConfigFileSync, parseConfigJson } from './loadConfig';
export { createLogger, LOG_LEVEL_VARIABLE } from './logger';
export { emfLine, METRICS_NAMESPACE, stdoutMetricsSink } from './metrics';
export type { NoAlertReason } from './noAlertReason';
export { describeNoAlert, ignoredReason } from './noAlertReason';
export { isRootPrincipal, normalisePrincipal } from './normalisePrincipal';
export type { FieldTree } from './observedRecord';
export { decodedFieldsOf, FIELDS_READ_AFTER_DECODE, withDecodedFieldsOnly } from './observedRecord';
export { offensiveUserAgent } from './offensiveUserAgent';
export { SeedBaselineStore } from './SeedBaselineStore';
export type { CloudTrailRecord } from './schemas';
export { parseEventTime } from './schemas';
export { mergeSeedState, seedStateChanged } from './seedMerge';
export type { Suppression, SuppressionStore } from './suppression';
export { suppressionId, suppressionRefusal } from './suppression';
export type { Decoded, InvalidReason, KeyState, LevelKey, ObservedEvent } from './types';
export { LEVELS } from './types';
