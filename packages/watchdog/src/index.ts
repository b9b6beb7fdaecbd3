export { readWatchdogEnvironment, type WatchdogEnvironment } from './environment';
export { expectedPairs } from './expectedPairs';
export { OrganizationsAccountSource } from './OrganizationsAccountSource';
export type { ReadAccountDirectoryOptions } from './readAccountDirectory';
export { readAccountDirectory } from './readAccountDirectory';
export { classifyHeartbeats, runWatchdog } from './runWatchdog';
export type { ScheduledRunSummary, WatchdogRuntime } from './scheduledRun';
export { createWatchdogRuntime, runScheduledWatchdog } from './scheduledRun';
export { NEVER_REPORTED_ACTION, neverReportedAlert, SILENCE_ACTION, silenceAlert } from './silenceAlert';
export type {
  AccountRegion,
  AlertOutbox,
  ExpectedAccountsSource,
  Heartbeat,
  HeartbeatSource,
  WatchdogOptions,
  WatchdogResult,
} from './types';
