export { batchItemFailures } from './batchItemFailures';
export type { CreateDetectorOptions, Detector } from './createDetector';
export { createDetector } from './createDetector';
export type {
  ConfigLoaderOptions,
  ConfigLocation,
  DetectorEnvironment,
  DetectorEnvironmentOptions,
} from './environment';
export { loadDetectorConfig, loadDetectorEnvironment, readDetectorEnvironment } from './environment';
export { QuarantineWriteError } from './errors';
export { InMemoryAlertOutbox } from './InMemoryAlertOutbox';
export { InMemoryQuarantine } from './InMemoryQuarantine';
export { isTransientError } from './isTransientError';
export { compareSequenceNumbers, decodeBase64Strict, shardIdOf } from './kinesisRecords';
export { processKinesisBatch } from './processKinesisBatch';
export type {
  AlertOutbox,
  DetectorCounts,
  DetectorDeps,
  HeartbeatRecorder,
  MetricsSink,
  Quarantine,
  QuarantineItem,
  QuarantineReason,
} from './types';
