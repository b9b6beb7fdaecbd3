import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Config, parseConfig } from './config';
import { ConfigError } from './errors';

/**
 * Parses config JSON read from `origin` (a path or an s3:// URI), with `overrides` applied on
 * top. Throws ConfigError naming the origin: for text that is not JSON, and for every invalid path.
 */
export function parseConfigJson(
  text: string,
  origin: string,
  overrides: Record<string, unknown> = {},
): Config {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config ${origin} is not valid JSON`, [origin], { cause: err });
  }
  const input =
    Object.keys(overrides).length > 0 && typeof json === 'object' && json !== null && !Array.isArray(json)
      ? { ...json, ...overrides }
      : json;
  return parseConfig(input, `config ${origin}`);
}

/** The config file at `path` (the defaults when no path is given); throws ConfigError naming the path. */
export async function loadConfigFile(path: string | undefined): Promise<Config> {
  if (path === undefined) return parseConfig({});
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config ${path}`, [path], { cause: err });
  }
  return parseConfigJson(text, path);
}

/** loadConfigFile for command-line tools that start synchronously, with overrides from their options. */
export function loadConfigFileSync(
  path: string | undefined,
  overrides: Record<string, unknown> = {},
): Config {
  if (path === undefined) return parseConfig(overrides);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config ${path}`, [path], { cause: err });
  }
  return parseConfigJson(text, path, overrides);
}
