export { readWatchdogEnvironment } from './environment';
export { expectedPairs } from './expectedPairs';
export { OrganizationsAccountSource } from './OrganizationsAccountSource';

export { classifyHeartbeats } from './runWatchdog';

export { createWatchdogRuntime, runScheduledWatchdog } from './scheduledRun';

export type { AccountRegion, Heartbeat, HeartbeatSource } from './types';
