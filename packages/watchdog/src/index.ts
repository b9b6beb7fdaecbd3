export { readWatchdogEnvironment, type WatchdogEnvironment } from './environment';
export { findSilent, runWatchdog } from './runWatchdog';
export { SILENCE_ACTION, silenceAlert } from './silenceAlert';
export type { AlertOutbox, Heartbeat, HeartbeatSource, WatchdogOptions, WatchdogResult } from './types';
