import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

describe('detector handler module', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('fails at cold start naming a missing environment variable', () => {
    process.env = {
      ...saved,
      FIRSTSEEN_BASELINE_TABLE: 'fs-baseline',
      FIRSTSEEN_QUARANTINE_BUCKET: 'fs-quarantine',
    };
    delete process.env.FIRSTSEEN_ALERTS_TABLE;

    expect(() => jest.isolateModules(() => require('../../src/index'))).toThrow(/FIRSTSEEN_ALERTS_TABLE/);
  });

  it('exports a handler when the environment is complete', () => {
    process.env = {
      ...saved,
      AWS_REGION: 'us-east-1',
      FIRSTSEEN_BASELINE_TABLE: 'fs-baseline',
      FIRSTSEEN_ALERTS_TABLE: 'fs-alerts',
      FIRSTSEEN_QUARANTINE_BUCKET: 'fs-quarantine',
      FIRSTSEEN_LOG_LEVEL: 'silent',
    };
    let mod: { handler?: unknown } = {};
    jest.isolateModules(() => {
      mod = require('../../src/index') as { handler?: unknown };
    });
    expect(typeof mod.handler).toBe('function');
  });

  it('builds its runtime again on the next invocation after a failed cold start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'detector-handler-'));
    const configPath = join(dir, 'config.json');
    process.env = {
      ...saved,
      AWS_REGION: 'us-east-1',
      FIRSTSEEN_BASELINE_TABLE: 'fs-baseline',
      FIRSTSEEN_ALERTS_TABLE: 'fs-alerts',
      FIRSTSEEN_QUARANTINE_BUCKET: 'fs-quarantine',
      FIRSTSEEN_CONFIG_PATH: configPath,
      FIRSTSEEN_LOG_LEVEL: 'silent',
    };
    type Handler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = (require('../../src/index') as { handler: Handler }).handler;
    });
    const emptyBatch: KinesisStreamEvent = { Records: [] };
    try {
      // The config object is not there yet (a deploy still uploading it): the first start fails.
      await expect(handler!(emptyBatch)).rejects.toThrow(configPath);
      writeFileSync(configPath, '{}');

      await expect(handler!(emptyBatch)).resolves.toEqual({ batchItemFailures: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
