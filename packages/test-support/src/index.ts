export { HOSTILE, hostileAlert, makeAlert } from './alerts';
export { CHROMIUM_INSTALL_HINT, findChromium } from './chromium';
export type { TestEventOptions } from './cloudTrailRecords';
export { cloudTrailRecord, eventBridgeEnvelope, rootStopLogging } from './cloudTrailRecords';
export { allCorpusLines, CORPUS_DIR, corpusFiles, corpusLines, corpusObjects, corpusRecord } from './corpus';
export type { FaultDecision, FaultInjector } from './faultInjector';
export { attachFaultInjector, throughputExceeded } from './faultInjector';
export { coldStart, detectorFunctionEnvironment, restoreEnvironmentAfterEach } from './handlerModules';
export type { InMemoryDetector, InMemoryDetectorOptions } from './inMemoryDetector';
export { faultyStore, inMemoryDetector, LogCapture } from './inMemoryDetector';
export type { KinesisEventOptions, KinesisPayload, KinesisRecordOptions } from './kinesisEvents';
export {
  DEFAULT_SHARD_ID,
  DEFAULT_STREAM_ARN,
  kinesisData,
  kinesisEvent,
  kinesisRecord,
  mergeEvents,
  redelivery,
  sequenceNumber,
} from './kinesisEvents';
export type { LocalDetector } from './localDetector';
export {
  createTablesWithoutTtl,
  lastMetrics,
  listQuarantine,
  localDetector,
  s3rverClient,
  scanAlerts,
} from './localDetector';
export { matchesEventPattern } from './matchesEventPattern';
export type { LiveClaim, ShardedSeedCase, Sighting } from './shardedSeed';
export {
  expectedBaseline,
  keyOf,
  principalOf,
  seedInShards,
  shardedSeedCase,
  sightingState,
} from './shardedSeed';
export { allWellFormed, slackProblems, slackTexts } from './slackAssertions';
export type { ClickSpec } from './slackInteractions';
export {
  APP_ID,
  alertFor,
  clickPayload,
  formBody,
  NOW,
  observed,
  SIGNING_SECRET,
  signed,
  TEAM_ID,
  TRUSTED_APPS,
} from './slackInteractions';
