import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@firstseen/core';
import { loadDetectorConfig, loadDetectorEnvironment, readDetectorEnvironment } from '../../src/environment';

const base = {
  FIRSTSEEN_BASELINE_TABLE: 'fs-baseline',
  FIRSTSEEN_ALERTS_TABLE: 'fs-alerts',
  FIRSTSEEN_QUARANTINE_BUCKET: 'fs-quarantine',
  FIRSTSEEN_CONFIG_PATH: '/opt/config.json',
};

describe('readDetectorEnvironment()', () => {
  it('reads the tables, bucket and config location', () => {
    expect(readDetectorEnvironment({ ...base, AWS_LAMBDA_FUNCTION_NAME: 'detector-prod' })).toMatchObject({
      baselineTable: 'fs-baseline',
      alertsTable: 'fs-alerts',
      quarantineBucket: 'fs-quarantine',
      configLocation: { kind: 'file', path: '/opt/config.json' },
      functionName: 'detector-prod',
    });
  });

  it('names every missing variable', () => {
    const { FIRSTSEEN_ALERTS_TABLE: _a, FIRSTSEEN_QUARANTINE_BUCKET: _q, ...env } = base;
    expect(() => readDetectorEnvironment(env)).toThrow(ConfigError);
    expect(() => readDetectorEnvironment(env)).toThrow(/FIRSTSEEN_ALERTS_TABLE.*FIRSTSEEN_QUARANTINE_BUCKET/);
  });

  it('parses an S3 config location', () => {
    const { FIRSTSEEN_CONFIG_PATH: _p, ...env } = base;
    const e = readDetectorEnvironment({
      ...env,
      FIRSTSEEN_CONFIG_S3_URI: 's3://cfg-bucket/firstseen/config.json',
    });
    expect(e.configLocation).toEqual({ kind: 's3', bucket: 'cfg-bucket', key: 'firstseen/config.json' });
  });

  it('rejects a malformed S3 URI naming the variable', () => {
    const { FIRSTSEEN_CONFIG_PATH: _p, ...env } = base;
    expect(() => readDetectorEnvironment({ ...env, FIRSTSEEN_CONFIG_S3_URI: 'cfg-bucket/x' })).toThrow(
      /FIRSTSEEN_CONFIG_S3_URI/,
    );
  });

  it('falls back to the config bundled beside the handler', () => {
    const { FIRSTSEEN_CONFIG_PATH: _p, ...env } = base;
    expect(
      readDetectorEnvironment(env, { bundledConfigPath: '/var/task/firstseen.config.json' }).configLocation,
    ).toEqual({
      kind: 'file',
      path: '/var/task/firstseen.config.json',
    });
  });

  it('fails without any config location', () => {
    const { FIRSTSEEN_CONFIG_PATH: _p, ...env } = base;
    expect(() => readDetectorEnvironment(env)).toThrow(/FIRSTSEEN_CONFIG_PATH or FIRSTSEEN_CONFIG_S3_URI/);
  });
});

describe('loadDetectorConfig()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firstseen-detector-env-'));

  it('loads and validates a config file', async () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify({ burnInDays: 3 }));
    await expect(loadDetectorConfig({ kind: 'file', path })).resolves.toMatchObject({
      burnInDays: 3,
      windowDays: 90,
    });
  });

  it('names the offending path of a bad config', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ windowDays: 500, retentionDays: 400 }));
    await expect(loadDetectorConfig({ kind: 'file', path })).rejects.toThrow(/windowDays/);
  });

  it('reads an S3 config through the given reader', async () => {
    const reads: string[] = [];
    const env = { ...base, FIRSTSEEN_CONFIG_PATH: '', FIRSTSEEN_CONFIG_S3_URI: 's3://b/k.json' };
    const loaded = await loadDetectorEnvironment(env, {
      readS3Object: async (bucket, key) => {
        reads.push(`${bucket}/${key}`);
        return '{"coverage":"write-only"}';
      },
    });
    expect(reads).toEqual(['b/k.json']);
    expect(loaded.config.coverage).toBe('write-only');
  });

  it('fails on a config file that is not JSON, naming the file', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ nope');
    await expect(loadDetectorConfig({ kind: 'file', path })).rejects.toThrow(path);
  });
});
