export { HOSTILE, hostileAlert, makeAlert } from './alerts';
export { CHROMIUM_INSTALL_HINT, findChromium } from './chromium';

export { cloudTrailRecord, eventBridgeEnvelope, rootStopLogging } from './cloudTrailRecords';
export { allCorpusLines, CORPUS_DIR, corpusFiles, corpusLines, corpusObjects, corpusRecord } from './corpus';

export { attachFaultInjector, throughputExceeded } from './faultInjector';
export { coldStart, detectorFunctionEnvironment, restoreEnvironmentAfterEach } from './handlerModules';

export { faultyStore, inMemoryDetector } from './inMemoryDetector';
export type { KinesisPayload } from './kinesisEvents';
export { kinesisEvent, mergeEvents, redelivery, sequenceNumber } from './kinesisEvents';
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

export {
  expectedBaseline,
  keyOf,
  principalOf,
  seedInShards,
  shardedSeedCase,
  sightingState,
} from './shardedSeed';
export { allWellFormed, slackProblems, slackTexts } from './slackAssertions';

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
