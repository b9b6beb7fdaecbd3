import { join } from 'node:path';
import { loadDetectorConfig, readDetectorEnvironment } from '@firstseen/detector';
import { createTrailReader, processTrailBatch } from '@firstseen/trail-reader';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

// Cold start: the detector's environment and config (same tables, outbox, quarantine bucket).
const environment = readDetectorEnvironment(process.env, {
  bundledConfigPath: join(__dirname, 'config.json'),
});
const reader = loadDetectorConfig(environment.configLocation).then((config) =>
  createTrailReader({ ...environment, config }),
);

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { batchItemFailures } = await processTrailBatch(event, (await reader).deps);
  return { batchItemFailures };
};
