export { DemoInterruptedError } from './errors';
export { startLocalDemo } from './runLocalDemo';
export type { DemoSummary, DestinationResult, LocalDemo, LocalDemoOptions, ScenarioResult } from './types';
