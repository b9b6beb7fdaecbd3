export { formatDecisions } from './auditDecisions';
export type { AuthorizeOutcome, TrustedSlackApp } from './authorizeInteraction';
export { authorizeInteraction, trustedSlackApps } from './authorizeInteraction';
export {
  DECISION_BY_ACTION_ID,
  DEFAULT_EXPECTED_DAYS,
  DEFAULT_RESPONSE_URL_PREFIXES,
  MAX_BODY_BYTES,
  MAX_REQUEST_AGE_SECONDS,
  SNOOZE_DAYS,
} from './constants';
export type { TriageEnvironment } from './createTriageRuntime';
export {
  createTriageRuntime,
  DEFAULT_SIGNING_SECRET_NAME,
  pagerDutySecretNames,
  readTriageEnvironment,
} from './createTriageRuntime';
export type { DynamoAlertDecisionStoreOptions } from './DynamoAlertDecisionStore';
export { DynamoAlertDecisionStore } from './DynamoAlertDecisionStore';
export { EscalationError, SuppressionInputError, TriageError } from './errors';
export { suspiciousEvent, triageDedupKey } from './escalate';
export type { ExpectedScope, TriageDeps, TriageRequest, TriageResponse } from './handleTriageRequest';
export { handleTriageRequest } from './handleTriageRequest';
export { InMemoryAlertDecisionStore } from './InMemoryAlertDecisionStore';
export type { BlockActionsPayload, Interaction, InteractionOrigin, ParseOutcome } from './parseInteraction';
export { BlockActionsPayloadSchema, parseInteraction } from './parseInteraction';
export type { DynamoReplayGuardOptions } from './ReplayGuard';
export { DynamoReplayGuard, InMemoryReplayGuard } from './ReplayGuard';
export { blocksAsText, decisionText, renderDecisionMessage } from './renderDecision';
export type { TriageCommandDeps } from './runTriageCommand';
export { parseTriageArgs, runTriageCommand, TRIAGE_USAGE } from './runTriageCommand';
export type { TriageServer } from './startTriageServer';
export { startTriageServer } from './startTriageServer';
export { loadSuppressionsFile, parseSuppressions, SuppressionSchema } from './suppressionsFile';
export type {
  AlertDecisionStore,
  Decision,
  Escalation,
  RecordOutcome,
  ReplayGuard,
  TriageAlert,
  TriageDecisionKind,
  Triager,
} from './types';
export type { VerifyOutcome } from './verifySlackRequest';
export { header, requestReplayKey, slackSignature, verifySlackRequest } from './verifySlackRequest';
