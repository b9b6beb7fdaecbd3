export type {
  DemoSummary,
  DestinationResult,
  LocalDemo,
  LocalDemoOptions,
  ScenarioResult,
} from './runLocalDemo';
export { DemoInterruptedError, startLocalDemo } from './runLocalDemo';
