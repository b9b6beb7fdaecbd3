import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldStart, detectorFunctionEnvironment, restoreEnvironmentAfterEach } from '@firstseen/test-support';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

type TrailReaderModule = { handler: (event: SQSEvent) => Promise<SQSBatchResponse> };
const MODULE = require.resolve('../../src/index');
const CONFIG = join(__dirname, '../events/config.json');

// S3's test event: a message naming no object, answered with an empty partial batch response.
const s3TestEvent = {
  Records: [{ messageId: 'm-1', body: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }) }],
} as unknown as SQSEvent;

describe('trail-reader handler module', () => {
  restoreEnvironmentAfterEach();

  it('fails at cold start naming a missing environment variable', () => {
    const env = detectorFunctionEnvironment();
    delete env.FIRSTSEEN_ALERTS_TABLE;

    expect(() => coldStart(MODULE, env)).toThrow(/FIRSTSEEN_ALERTS_TABLE/);
  });

  it("answers S3's test event (a message naming no object) with an empty partial batch response", async () => {
    const { handler } = coldStart<TrailReaderModule>(
      MODULE,
      detectorFunctionEnvironment({ FIRSTSEEN_CONFIG_PATH: CONFIG }),
    );

    await expect(handler(s3TestEvent)).resolves.toEqual({ batchItemFailures: [] });
  });

  it('builds its runtime again on the next invocation after a failed cold start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trail-reader-handler-'));
    const configPath = join(dir, 'config.json');
    const { handler } = coldStart<TrailReaderModule>(
      MODULE,
      detectorFunctionEnvironment({ FIRSTSEEN_CONFIG_PATH: configPath }),
    );
    try {
      // The config object is not there yet (a deploy still uploading it): the first start fails.
      await expect(handler(s3TestEvent)).rejects.toThrow(configPath);
      copyFileSync(CONFIG, configPath);

      await expect(handler(s3TestEvent)).resolves.toEqual({ batchItemFailures: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
