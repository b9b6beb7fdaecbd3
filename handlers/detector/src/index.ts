import { join } from 'node:path';
import { lazyRuntime } from '@firstseen/core';
import {
  createDetector,
  loadDetectorConfig,
  processKinesisBatch,
  readDetectorEnvironment,
} from '@firstseen/detector';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

// A missing environment variable throws here, naming it. A bad or unreadable config rejects the
// invocation, naming its location and path; the next invocation reads it again.
const environment = readDetectorEnvironment(process.env, {
  bundledConfigPath: join(__dirname, 'config.json'),
});
const runtime = lazyRuntime(async () => {
  const config = await loadDetectorConfig(environment.configLocation);
  return createDetector({ ...environment, config }).deps;
});

export const handler = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> =>
  processKinesisBatch(event, await runtime());
