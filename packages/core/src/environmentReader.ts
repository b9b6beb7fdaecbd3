import { ConfigError } from './errors';

/**
 * Reads a Lambda's environment variables and collects every problem, so that `finish()` names
 * all the bad variables of a cold start in one ConfigError instead of only the first.
 * Values read before `finish()` are only meaningful once it has returned.
 */
export interface EnvironmentReader {
  /** The trimmed value; a missing or blank variable is recorded as a problem (and reads as ''). */
  required(name: string): string;
  /** The trimmed value, or undefined when the variable is missing or blank. */
  optional(name: string): string | undefined;
  /** The trimmed value (fallback when missing or blank), recorded as a problem unless allowed. */
  oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  /** The trimmed value as a number (fallback when missing or blank), recorded unless finite and > 0. */
  positiveNumber(name: string, fallback: number): number;
  /** Records a problem no single variable can detect (two variables that exclude each other). */
  problem(message: string): void;
  /** Throws ConfigError(`invalid <what> environment: p1; p2`, [p1, p2]) if any problem was recorded. */
  finish(what: string): void;
}

export function environmentReader(env: Readonly<Record<string, string | undefined>>): EnvironmentReader {
  const problems: string[] = [];
  const optional = (name: string): string | undefined => env[name]?.trim() || undefined;
  return {
    required(name) {
      const value = optional(name);
      if (value === undefined) problems.push(`${name}: required environment variable is missing or empty`);
      return value ?? '';
    },
    optional,
    oneOf(name, allowed, fallback) {
      const value = optional(name) ?? fallback;
      if ((allowed as readonly string[]).includes(value)) return value as typeof fallback;
      problems.push(`${name}: expected ${alternatives(allowed)}, got "${value}"`);
      return fallback;
    },
    positiveNumber(name, fallback) {
      const raw = optional(name) ?? String(fallback);
      const value = Number(raw);
      if (!(Number.isFinite(value) && value > 0)) {
        problems.push(`${name}: expected a positive number, got "${raw}"`);
      }
      return value;
    },
    problem(message) {
      problems.push(message);
    },
    finish(what) {
      if (problems.length > 0) {
        throw new ConfigError(`invalid ${what} environment: ${problems.join('; ')}`, [...problems]);
      }
    },
  };
}

/** "a", "a or b", "a, b or c". */
function alternatives(allowed: readonly string[]): string {
  return allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed.join('');
}
