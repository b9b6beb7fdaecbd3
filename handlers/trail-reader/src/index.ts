import { join } from 'node:path';
import { lazyRuntime } from '@firstseen/core';
import { loadDetectorConfig, readDetectorEnvironment } from '@firstseen/detector';
import { createTrailReader, processTrailBatch } from '@firstseen/trail-reader';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

// The detector's environment and config (same tables, outbox, quarantine bucket). A missing
// environment variable throws here, naming it; a bad or unreadable config rejects the
// invocation, naming its location, and the next invocation reads it again.
const environment = readDetectorEnvironment(process.env, {
  bundledConfigPath: join(__dirname, 'config.json'),
});
const runtime = lazyRuntime(async () => {
  const config = await loadDetectorConfig(environment.configLocation);
  return createTrailReader({ ...environment, config }).deps;
});

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { batchItemFailures } = await processTrailBatch(event, await runtime());
  return { batchItemFailures };
};
