export { createTrailReader } from './createTrailReader';

export { processTrailBatch } from './processTrailBatch';
