export { mergeSummaries } from './mergeSummaries';
export type { ParallelMode, Position } from './protocol';
export type { ParallelReplayDeps, ParallelReplayOptions } from './runParallelReplay';
export { runParallelReplay } from './runParallelReplay';
