export { bounded } from './bounded';
export type { DynamoExplainStoreOptions } from './DynamoExplainStore';
export { DynamoExplainStore, iamChangePk, prevalencePk, profilePk } from './DynamoExplainStore';
export { isDeniedCall } from './deniedCall';
export type { AlertEvidence } from './describeAlert';
export { describeAlert } from './describeAlert';
export type { ExplainerOptions } from './Explainer';
export { contextWithFacts, Explainer, IAM_CHANGE_LOOKBACK_MS } from './Explainer';
export type { AlertFacts, ExplainStore } from './ExplainStore';
export { ExplainStoreError, ProfileConflictError, toStoreError } from './errors';
export { InMemoryExplainStore } from './InMemoryExplainStore';
export { iamChangeOf, ROLE_CHANGE_EVENTS, USER_CHANGE_EVENTS } from './iamChange';
export { sourceNetwork } from './sourceNetwork';
export type {
  ExplanationContext,
  ExplanationFacts,
  ExplanationReason,
  IamChange,
  PrincipalProfile,
  RecentAction,
  Sighting,
} from './types';
export {
  MAX_ACTION_CHARS,
  MAX_EXPLANATION_CHARS,
  MAX_FACT_CHARS,
  MAX_NETWORKS,
  MAX_RECENT,
  MAX_REGIONS,
  MAX_USER_AGENTS,
} from './types';
export type { UserAgentFamily } from './userAgentFamily';
export { userAgentFamily } from './userAgentFamily';
