export type { TrustedSlackApp } from './authorizeInteraction';

export { createTriageRuntime, readTriageEnvironment } from './createTriageRuntime';

export { DynamoAlertDecisionStore } from './DynamoAlertDecisionStore';
export { SuppressionInputError } from './errors';

export type { TriageRequest } from './handleTriageRequest';
export { handleTriageRequest } from './handleTriageRequest';

export { parseTriageArgs, runTriageCommand, TRIAGE_USAGE } from './runTriageCommand';

export { loadSuppressionsFile } from './suppressionsFile';
