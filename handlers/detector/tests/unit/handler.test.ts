import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldStart, detectorFunctionEnvironment, restoreEnvironmentAfterEach } from '@firstseen/test-support';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

type DetectorModule = { handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse> };
const MODULE = require.resolve('../../src/index');

describe('detector handler module', () => {
  restoreEnvironmentAfterEach();

  it('fails at cold start naming a missing environment variable', () => {
    const env = detectorFunctionEnvironment();
    delete env.FIRSTSEEN_ALERTS_TABLE;

    expect(() => coldStart(MODULE, env)).toThrow(/FIRSTSEEN_ALERTS_TABLE/);
  });

  it('exports a handler when the environment is complete', () => {
    const mod = coldStart<DetectorModule>(MODULE, detectorFunctionEnvironment());
    expect(typeof mod.handler).toBe('function');
  });

  it('builds its runtime again on the next invocation after a failed cold start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'detector-handler-'));
    const configPath = join(dir, 'config.json');
    const { handler } = coldStart<DetectorModule>(
      MODULE,
      detectorFunctionEnvironment({ FIRSTSEEN_CONFIG_PATH: configPath }),
    );
    const emptyBatch: KinesisStreamEvent = { Records: [] };
    try {
      // The config object is not there yet (a deploy still uploading it): the first start fails.
      await expect(handler(emptyBatch)).rejects.toThrow(configPath);
      writeFileSync(configPath, '{}');

      await expect(handler(emptyBatch)).resolves.toEqual({ batchItemFailures: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
