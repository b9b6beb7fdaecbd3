import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '@firstseen/core';
import { loadDetectorConfig, readDetectorEnvironment } from '@firstseen/detector';
import { readNotifyEnvironment } from '@firstseen/notify';
import fc from 'fast-check';

const GOOD_ENV = {
  FIRSTSEEN_BASELINE_TABLE: 'baseline',
  FIRSTSEEN_ALERTS_TABLE: 'alerts',
  FIRSTSEEN_QUARANTINE_BUCKET: 'quarantine',
  FIRSTSEEN_CONFIG_PATH: '/var/task/config.json',
};

describe('parseConfig() on config from outside', () => {
  it.each([
    [{ windowDays: 400, retentionDays: 365 }, 'windowDays'],
    [{ burnInDays: -1 }, 'burnInDays'],
    [{ coverage: 'everything' }, 'coverage'],
    [{ retentionDays: '30' }, 'retentionDays'],
    [{ routing: { destinations: { slack: { type: 'email' } } } }, 'routing'],
    [{ routing: { rules: [{ destinations: ['nowhere'] }] } }, 'routing'],
    [{ ignore: { principals: 'role/*' } }, 'ignore'],
  ])('fails closed on %j, naming %s', (input, where) => {
    const attempt = () => parseConfig(input, 'config.json');
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(where));
  });

  it('either accepts an arbitrary JSON value as a valid config or throws ConfigError, never anything else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          const config = parseConfig(value, 'fuzz');
          expect(config.windowDays).toBeLessThan(config.retentionDays);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 500, seed: 9 },
    );
  });

  it('throws ConfigError for a config file that is not JSON, naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'firstseen-config-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, '{"windowDays": 90,');
    await expect(loadDetectorConfig({ kind: 'file', path: file })).rejects.toThrow(/config\.json/);
    await expect(loadConfigFile(file)).rejects.toThrow(ConfigError);
  });
});

describe('handler environments', () => {
  it.each([
    [{ ...GOOD_ENV, FIRSTSEEN_BASELINE_TABLE: ' ' }, 'FIRSTSEEN_BASELINE_TABLE'],
    [{ ...GOOD_ENV, FIRSTSEEN_QUARANTINE_BUCKET: undefined }, 'FIRSTSEEN_QUARANTINE_BUCKET'],
    [{ ...GOOD_ENV, FIRSTSEEN_CONFIG_S3_URI: 's3://bucket/key' }, 'set at most one'],
    [
      { ...GOOD_ENV, FIRSTSEEN_CONFIG_PATH: undefined, FIRSTSEEN_CONFIG_S3_URI: 'https://bucket/key' },
      'FIRSTSEEN_CONFIG_S3_URI',
    ],
  ])('the detector refuses %j, naming the variable', (env, where) => {
    const attempt = () => readDetectorEnvironment(env);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(where);
  });

  it('the dispatcher refuses a missing alerts table and an unknown secrets source', () => {
    expect(() => readNotifyEnvironment({})).toThrow(/FIRSTSEEN_ALERTS_TABLE/);
    expect(() =>
      readNotifyEnvironment({ FIRSTSEEN_ALERTS_TABLE: 'a', FIRSTSEEN_SECRETS: 'plaintext' }),
    ).toThrow(/FIRSTSEEN_SECRETS/);
  });

  it('the detector reads arbitrary environments without throwing anything but ConfigError', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...Object.keys(GOOD_ENV), 'FIRSTSEEN_CONFIG_S3_URI'), fc.string()),
        (env) => {
          try {
            readDetectorEnvironment(env);
          } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
          }
        },
      ),
      { numRuns: 300, seed: 4 },
    );
  });
});
