import { join } from 'node:path';
import {
  createDetector,
  loadDetectorConfig,
  processKinesisBatch,
  readDetectorEnvironment,
} from '@firstseen/detector';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

// Cold start. A missing environment variable throws here, naming it; a bad config rejects
// before the first record is read, naming its location and path.
const environment = readDetectorEnvironment(process.env, {
  bundledConfigPath: join(__dirname, 'config.json'),
});
const detector = loadDetectorConfig(environment.configLocation).then((config) =>
  createDetector({ ...environment, config }),
);

export const handler = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> =>
  processKinesisBatch(event, (await detector).deps);
