import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  type Config,
  ConfigError,
  environmentReader,
  LOG_LEVEL_VARIABLE,
  loadConfigFile,
  parseConfigJson,
} from '@firstseen/core';

/** Where the detector's config comes from. */
export type ConfigLocation = { kind: 's3'; bucket: string; key: string } | { kind: 'file'; path: string };

/** The detector's environment, validated at cold start. */
export interface DetectorEnvironment {
  baselineTable: string;
  alertsTable: string;
  quarantineBucket: string;
  configLocation: ConfigLocation;
  functionName: string;
  logLevel: string;
  /** Use path-style S3 addressing (s3rver locally). */
  s3ForcePathStyle: boolean;
}

export interface DetectorEnvironmentOptions {
  /** The config file bundled beside the handler, used when neither location variable is set. */
  bundledConfigPath?: string;
}

/**
 * Reads and checks the detector's environment variables. Throws ConfigError naming every
 * missing or malformed variable, so a misconfigured function fails at cold start, not per record.
 */
export function readDetectorEnvironment(
  env: NodeJS.ProcessEnv,
  options: DetectorEnvironmentOptions = {},
): DetectorEnvironment {
  const reader = environmentReader(env);
  const baselineTable = reader.required('FIRSTSEEN_BASELINE_TABLE');
  const alertsTable = reader.required('FIRSTSEEN_ALERTS_TABLE');
  const quarantineBucket = reader.required('FIRSTSEEN_QUARANTINE_BUCKET');

  let configLocation: ConfigLocation | undefined;
  const s3Uri = reader.optional('FIRSTSEEN_CONFIG_S3_URI');
  const path = reader.optional('FIRSTSEEN_CONFIG_PATH');
  if (s3Uri && path) {
    reader.problem('FIRSTSEEN_CONFIG_S3_URI and FIRSTSEEN_CONFIG_PATH: set at most one');
  } else if (s3Uri) {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(s3Uri);
    if (m) configLocation = { kind: 's3', bucket: m[1]!, key: m[2]! };
    else reader.problem(`FIRSTSEEN_CONFIG_S3_URI: expected s3://<bucket>/<key>, got "${s3Uri}"`);
  } else if (path) {
    configLocation = { kind: 'file', path };
  } else if (options.bundledConfigPath) {
    configLocation = { kind: 'file', path: options.bundledConfigPath };
  } else {
    reader.problem('FIRSTSEEN_CONFIG_PATH or FIRSTSEEN_CONFIG_S3_URI: no config location given');
  }

  reader.finish('detector');
  return {
    baselineTable,
    alertsTable,
    quarantineBucket,
    // Every branch above that leaves it unset records a problem, so finish() has thrown.
    configLocation: configLocation!,
    functionName: reader.optional('AWS_LAMBDA_FUNCTION_NAME') ?? 'firstseen-detector',
    logLevel: reader.optional(LOG_LEVEL_VARIABLE) ?? 'info',
    // Not trimmed: only the exact value `true` turns path-style addressing on.
    s3ForcePathStyle: env.FIRSTSEEN_S3_FORCE_PATH_STYLE === 'true',
  };
}

export interface ConfigLoaderOptions {
  /** Fetches an S3 object's text (default: a GetObject with a new S3Client). */
  readS3Object?: (bucket: string, key: string) => Promise<string>;
}

/** Loads and validates the config JSON; errors name the location and the offending path. */
export async function loadDetectorConfig(
  location: ConfigLocation,
  options: ConfigLoaderOptions = {},
): Promise<Config> {
  if (location.kind === 'file') return loadConfigFile(location.path);
  const origin = `s3://${location.bucket}/${location.key}`;
  let text: string;
  try {
    text = await (options.readS3Object ?? readS3Object)(location.bucket, location.key);
  } catch (err) {
    throw new ConfigError(`cannot read config ${origin}`, [origin], { cause: err });
  }
  return parseConfigJson(text, origin);
}

/** readDetectorEnvironment then loadDetectorConfig: everything the handler needs from its environment. */
export async function loadDetectorEnvironment(
  env: NodeJS.ProcessEnv,
  options: DetectorEnvironmentOptions & ConfigLoaderOptions = {},
): Promise<DetectorEnvironment & { config: Config }> {
  const environment = readDetectorEnvironment(env, options);
  const config = await loadDetectorConfig(environment.configLocation, options);
  return { ...environment, config };
}

async function readS3Object(bucket: string, key: string): Promise<string> {
  const client = new S3Client({});
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error('empty body');
    return await out.Body.transformToString('utf8');
  } finally {
    client.destroy();
  }
}
