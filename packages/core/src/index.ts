export type { BaselineStore, CasResult, ClaimRequest, ClaimResult } from './BaselineStore';
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
export type {
  ContextProvider,
  Detection,
  DetectionEngineOptions,
  KeyCache,
  KeyCacheOptions,
  SuppressionCheck,
} from './DetectionEngine';
export { createKeyCache, DetectionEngine } from './DetectionEngine';
export { ConfigError, FirstseenError, TransientStoreError } from './errors';
export { globToRegExp, matchesAnyGlob, matchesGlob } from './glob';
export { InMemoryBaselineStore } from './InMemoryBaselineStore';
export { DAY_MS, levelKeys, principalKey, REFRESH_DAYS } from './levelKeys';
export type {
  Alert,
  AlertContext,
  ClaimSource,
  Decoded,
  IgnoreReason,
  InvalidReason,
  KeyLevel,
  KeyState,
  Level,
  LevelKey,
  ObservedEvent,
  Severity,
} from './types';
export { KEY_LEVELS, LEVELS } from './types';
