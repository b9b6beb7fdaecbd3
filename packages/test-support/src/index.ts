export { CHROMIUM_INSTALL_HINT, findChromium } from './chromium';
export { allCorpusLines, CORPUS_DIR, corpusFiles, corpusLines, corpusObjects, corpusRecord } from './corpus';
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
