import { ConfigError, environmentReader } from '../../src';

function thrownBy(act: () => void): ConfigError {
  try {
    act();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('environmentReader()', () => {
  describe('required()', () => {
    it('returns the value trimmed', () => {
      const reader = environmentReader({ TABLE: '  fs-baseline \n' });
      expect(reader.required('TABLE')).toBe('fs-baseline');
      expect(() => reader.finish('test')).not.toThrow();
    });

    it.each([
      ['missing', {}],
      ['empty', { TABLE: '' }],
      ['blank', { TABLE: ' \t ' }],
    ])('records a %s variable as a problem and reads it as an empty string', (_, env) => {
      const reader = environmentReader(env);
      expect(reader.required('TABLE')).toBe('');
      expect(thrownBy(() => reader.finish('test')).issues).toEqual([
        'TABLE: required environment variable is missing or empty',
      ]);
    });
  });

  describe('optional()', () => {
    it('returns the value trimmed', () => {
      expect(environmentReader({ PATH_: ' /var/task/config.json ' }).optional('PATH_')).toBe(
        '/var/task/config.json',
      );
    });

    it.each([
      ['missing', {}],
      ['empty', { PATH_: '' }],
      ['blank', { PATH_: '   ' }],
    ])('reads a %s variable as absent without recording a problem', (_, env) => {
      const reader = environmentReader(env);
      expect(reader.optional('PATH_')).toBeUndefined();
      expect(() => reader.finish('test')).not.toThrow();
    });
  });

  describe('oneOf()', () => {
    it('returns an allowed value trimmed', () => {
      const reader = environmentReader({ SECRETS: ' secretsmanager ' });
      expect(reader.oneOf('SECRETS', ['env', 'secretsmanager'], 'env')).toBe('secretsmanager');
      expect(() => reader.finish('test')).not.toThrow();
    });

    it('returns the fallback when the variable is missing or blank', () => {
      expect(environmentReader({}).oneOf('SECRETS', ['env', 'secretsmanager'], 'secretsmanager')).toBe(
        'secretsmanager',
      );
      expect(environmentReader({ SECRETS: ' ' }).oneOf('SECRETS', ['env', 'secretsmanager'], 'env')).toBe(
        'env',
      );
    });

    it('names two alternatives with "or" and quotes the trimmed value it got', () => {
      const reader = environmentReader({ SECRETS: ' plaintext ' });
      reader.oneOf('SECRETS', ['env', 'secretsmanager'], 'env');
      expect(thrownBy(() => reader.finish('test')).issues).toEqual([
        'SECRETS: expected env or secretsmanager, got "plaintext"',
      ]);
    });

    it('names three alternatives as "a, b or c"', () => {
      const reader = environmentReader({ SCOPE: 'global' });
      reader.oneOf('SCOPE', ['action', 'account', 'region'], 'action');
      expect(thrownBy(() => reader.finish('test')).issues).toEqual([
        'SCOPE: expected action, account or region, got "global"',
      ]);
    });

    it('is case-sensitive', () => {
      const reader = environmentReader({ SECRETS: 'ENV' });
      reader.oneOf('SECRETS', ['env', 'secretsmanager'], 'env');
      expect(() => reader.finish('test')).toThrow(ConfigError);
    });
  });

  describe('positiveNumber()', () => {
    it('parses the trimmed value', () => {
      const reader = environmentReader({ MINUTES: ' 90 ' });
      expect(reader.positiveNumber('MINUTES', 60)).toBe(90);
      expect(() => reader.finish('test')).not.toThrow();
    });

    it('accepts a fraction', () => {
      expect(environmentReader({ MINUTES: '0.5' }).positiveNumber('MINUTES', 60)).toBe(0.5);
    });

    it('returns the fallback when the variable is missing or blank', () => {
      expect(environmentReader({}).positiveNumber('MINUTES', 60)).toBe(60);
      expect(environmentReader({ MINUTES: '' }).positiveNumber('MINUTES', 60)).toBe(60);
    });

    it.each(['0', '-5', 'soon', 'Infinity', '1e999'])('records %j as a problem quoting it', (raw) => {
      const reader = environmentReader({ MINUTES: raw });
      reader.positiveNumber('MINUTES', 60);
      expect(thrownBy(() => reader.finish('test')).issues).toEqual([
        `MINUTES: expected a positive number, got "${raw}"`,
      ]);
    });
  });

  describe('problem()', () => {
    it('records a message as it is given', () => {
      const reader = environmentReader({});
      reader.problem('A and B: set at most one');
      expect(thrownBy(() => reader.finish('test')).issues).toEqual(['A and B: set at most one']);
    });
  });

  describe('finish()', () => {
    it('returns without throwing when nothing was recorded', () => {
      const reader = environmentReader({ A: 'a' });
      reader.required('A');
      reader.optional('B');
      expect(() => reader.finish('test')).not.toThrow();
    });

    it('throws one ConfigError naming every problem in the order recorded', () => {
      const reader = environmentReader({ SECRETS: 'plaintext', MINUTES: 'soon' });
      reader.required('BASELINE');
      reader.required('ALERTS');
      reader.oneOf('SECRETS', ['env', 'secretsmanager'], 'env');
      reader.positiveNumber('MINUTES', 60);
      reader.problem('CONFIG: no config location given');

      const err = thrownBy(() => reader.finish('watchdog'));

      const issues = [
        'BASELINE: required environment variable is missing or empty',
        'ALERTS: required environment variable is missing or empty',
        'SECRETS: expected env or secretsmanager, got "plaintext"',
        'MINUTES: expected a positive number, got "soon"',
        'CONFIG: no config location given',
      ];
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.name).toBe('ConfigError');
      expect(err.message).toBe(`invalid watchdog environment: ${issues.join('; ')}`);
      expect(err.issues).toEqual(issues);
    });
  });
});
