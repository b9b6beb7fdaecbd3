import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';

describe('trail-reader handler module', () => {
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

  it("answers S3's test event (a message naming no object) with an empty partial batch response", async () => {
    process.env = {
      ...saved,
      AWS_REGION: 'us-east-1',
      FIRSTSEEN_BASELINE_TABLE: 'fs-baseline',
      FIRSTSEEN_ALERTS_TABLE: 'fs-alerts',
      FIRSTSEEN_QUARANTINE_BUCKET: 'fs-quarantine',
      FIRSTSEEN_CONFIG_PATH: join(__dirname, '../events/config.json'),
      FIRSTSEEN_LOG_LEVEL: 'silent',
    };
    let mod: { handler?: (event: SQSEvent) => Promise<unknown> } = {};
    jest.isolateModules(() => {
      mod = require('../../src/index') as typeof mod;
    });
    const event = {
      Records: [{ messageId: 'm-1', body: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }) }],
    } as unknown as SQSEvent;

    await expect(mod.handler!(event)).resolves.toEqual({ batchItemFailures: [] });
  });
});
