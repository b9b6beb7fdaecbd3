import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Config, ConfigError, parseConfig } from '@firstseen/core';
import { InfraConfigError } from './errors';
import type { ScheduledSettings, StreamConsumerSettings } from './FirstseenFunction';
import type { FirstseenPipelineArgs } from './FirstseenPipeline';
import type { ForwardingOperationSettings } from './OrganizationForwarding';
import { validateRegions } from './regions';

/** Everything `pulumi config` holds for one firstseen deployment (namespace `firstseen:`). */
export interface StackSettings {
  namePrefix: string;
  orgId: string;
  targetOus: string[];
  /** The configured forwarding regions; undefined = every region enabled for the organization. */
  regions?: string[];
  config: Config;
  stream: NonNullable<FirstseenPipelineArgs['stream']>;
  detector?: StreamConsumerSettings;
  dispatcher?: StreamConsumerSettings;
  redrive?: ScheduledSettings;
  watchdog?: FirstseenPipelineArgs['watchdog'];
  triage?: FirstseenPipelineArgs['triage'];
  alarmEmail?: string;
  protectData: boolean;
  includeSecurityAccount: boolean;
  /** A role in the management account to deploy the forwarding template there. */
  managementAccountRoleArn?: string;
  forwarding?: ForwardingOperationSettings;
  replay?: { trailBucketName: string; trailKmsKeyArn?: string; trustedPrincipalArns: string[] };
}

/** Reads one raw config value (what `pulumi.Config#get` returns: objects arrive as JSON text). */
export type ConfigGetter = (key: string) => string | undefined;

function json<T>(get: ConfigGetter, key: string): T | undefined {
  const raw = get(key);
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch (err) {
    throw new InfraConfigError(
      `firstseen:${key} is not valid JSON (set it with \`pulumi config set --path\` or --json)`,
      {
        cause: err,
      },
    );
  }
}

function required(get: ConfigGetter, key: string): string {
  const v = get(key);
  if (!v) throw new InfraConfigError(`firstseen:${key} is required (pulumi config set firstseen:${key} ...)`);
  return v;
}

function stringList(get: ConfigGetter, key: string): string[] {
  const v = json<unknown>(get, key);
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new InfraConfigError(`firstseen:${key} must be a JSON array of strings, e.g. ["a","b"]`);
  }
  return v as string[];
}

function bool(get: ConfigGetter, key: string, fallback: boolean): boolean {
  const v = get(key);
  if (v === undefined) return fallback;
  if (v !== 'true' && v !== 'false')
    throw new InfraConfigError(`firstseen:${key} must be true or false, got "${v}"`);
  return v === 'true';
}

/**
 * Reads and validates the stack configuration. The detection and routing config comes from
 * `firstseen:detection` (JSON) or `firstseen:detectionFile` (a JSON file, relative to
 * `baseDir`) and goes through the core's `parseConfig`, so `pulumi up` stops on a bad value
 * with its path in the message before anything is deployed.
 */
export function readStackSettings(get: ConfigGetter, baseDir: string): StackSettings {
  const orgId = required(get, 'orgId');
  const targetOus = stringList(get, 'targetOus');
  const regions = get('regions') === undefined ? undefined : validateRegions(stringList(get, 'regions'));

  let detection = json<unknown>(get, 'detection');
  const file = get('detectionFile');
  if (file) {
    if (detection !== undefined)
      throw new InfraConfigError('set firstseen:detection or firstseen:detectionFile, not both');
    const full = path.resolve(baseDir, file);
    try {
      detection = JSON.parse(fs.readFileSync(full, 'utf8'));
    } catch (err) {
      throw new InfraConfigError(`firstseen:detectionFile ${full} cannot be read as JSON`, { cause: err });
    }
  }
  let config: Config;
  try {
    config = parseConfig(detection ?? {}, 'firstseen:detection');
  } catch (err) {
    if (err instanceof ConfigError) throw new InfraConfigError(err.message, { cause: err });
    throw err;
  }

  const streamMode = get('streamMode') ?? 'ON_DEMAND';
  if (streamMode !== 'ON_DEMAND' && streamMode !== 'PROVISIONED') {
    throw new InfraConfigError(`firstseen:streamMode must be ON_DEMAND or PROVISIONED, got "${streamMode}"`);
  }
  const shardCountRaw = get('shardCount');
  const shardCount = shardCountRaw === undefined ? undefined : Number(shardCountRaw);
  if (shardCount !== undefined && !(Number.isInteger(shardCount) && shardCount > 0)) {
    throw new InfraConfigError(`firstseen:shardCount must be a positive integer, got "${shardCountRaw}"`);
  }

  const replay = json<StackSettings['replay']>(get, 'replay');
  return {
    namePrefix: get('namePrefix') ?? 'firstseen',
    orgId,
    targetOus,
    regions,
    config,
    stream: { mode: streamMode, shardCount },
    detector: json(get, 'detector'),
    dispatcher: json(get, 'dispatcher'),
    redrive: json(get, 'redrive'),
    watchdog: json(get, 'watchdog'),
    triage: json(get, 'triage'),
    alarmEmail: get('alarmEmail'),
    protectData: bool(get, 'protectData', true),
    includeSecurityAccount: bool(get, 'includeSecurityAccount', true),
    managementAccountRoleArn: get('managementAccountRoleArn') || undefined,
    forwarding: json(get, 'forwarding'),
    replay,
  };
}
