export { DynamoExplainStore } from './DynamoExplainStore';

export type { AlertEvidence } from './describeAlert';
export { contextWithFacts, Explainer } from './Explainer';

export { InMemoryExplainStore } from './InMemoryExplainStore';
export type { IamChange } from './types';
