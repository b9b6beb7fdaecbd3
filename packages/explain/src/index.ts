export { DynamoExplainStore } from './DynamoExplainStore';

export { Explainer } from './Explainer';

export { InMemoryExplainStore } from './InMemoryExplainStore';
