import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { handler } from '../../src';

const context = { getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
const savedEnv = { ...process.env };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cold-start-'));
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ routing: { rules: [{ destinations: ['slack'] }] } }));
  Object.assign(process.env, {
    FIRSTSEEN_ALERTS_TABLE: 'alerts',
    FIRSTSEEN_SECRETS: 'env',
    FIRSTSEEN_CONFIG_PATH: configPath,
    FIRSTSEEN_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    FIRSTSEEN_LOG_LEVEL: 'silent',
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await rm(dir, { recursive: true, force: true });
});

describe('alert-dispatcher cold start', () => {
  it('fails on a malformed webhook URL with one line naming the secret, never its value', async () => {
    process.env['FIRSTSEEN_SLACK_WEBHOOK_URL'] = 'hooks.slack.com/services/T0/B0/SECRETxyz';
    const error = (await handler({ Records: [] }, context).catch((err: unknown) => err)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(
      'destination "slack": secret "FIRSTSEEN_SLACK_WEBHOOK_URL" is not a valid webhook URL (expected https://hooks.slack.com/services/...)',
    );
    expect(error.message).not.toContain('SECRETxyz');
  });

  it('fails on a missing secret, and starts once the setting is fixed (a failed start is not cached)', async () => {
    delete process.env['FIRSTSEEN_SLACK_WEBHOOK_URL'];
    await expect(handler({ Records: [] }, context)).rejects.toThrow(
      'secret "FIRSTSEEN_SLACK_WEBHOOK_URL" is missing or empty',
    );
    process.env['FIRSTSEEN_SLACK_WEBHOOK_URL'] = 'https://hooks.slack.com/services/T0/B0/x';
    await expect(handler({ Records: [] }, context)).resolves.toEqual({ batchItemFailures: [] });
  });
});
