import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Config, ConfigError, parseConfig } from '@firstseen/core';
import { z } from 'zod';
import { defaultSlackSigningSecretName, ORG_ID_PATTERN, OU_OR_ROOT_ID_PATTERN } from './constants';
import { InfraConfigError } from './errors';
import type { ScheduledSettings, StreamConsumerSettings } from './FirstseenFunction';
import type { FirstseenPipelineArgs } from './FirstseenPipeline';
import type { ForwardingOperationSettings } from './OrganizationForwarding';
import type { TrailFeedSettings } from './pipeline/trailFeed';
import type { ReplayOnAwsSettings } from './ReplayOnAws';
import { AWS_REGIONS, validateRegions } from './regions';
import { S3DataEventsSchema, type S3DataEventsSettings } from './s3DataEvents';
import { secretNames } from './secretNames';
import { seedWriteShare } from './seedWriteShare';

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
  /** The seed's distributed map on AWS (ReplayOnAws); needs `replay` for the trail bucket. */
  replayOnAws?: ReplayOnAwsSettings;
  /** The organization trail the second feed reads (detection config `feed` trail|both). */
  trail?: TrailFeedSettings;
  /** Buckets whose S3 data events the organization trail should log (the opt-in `resource` level). */
  s3DataEvents?: S3DataEventsSettings;
  /** Advice that does not stop a deployment (`pulumi up` logs it as a warning, `npm run check` prints it). */
  warnings: string[];
}

/** Reads one raw config value (what `pulumi.Config#get` returns: objects arrive as JSON text). */
export type ConfigGetter = (key: string) => string | undefined;

/** Where the settings come from besides the getter. */
export interface StackSettingsSource {
  /**
   * Every `firstseen:` key the stack sets (without the namespace). Given, a key the program
   * does not read is an error: a misspelt `alarmEmial` would otherwise be silently ignored.
   */
  keys?: readonly string[];
  /** The stack's `aws:region` (the security account's home region), checked against AWS's list. */
  awsRegion?: string;
}

const positiveInt = z.number().int().positive();
const FunctionSettingsSchema = z
  .object({
    memoryMb: z.number().int().min(128).max(10_240).optional(),
    timeoutSeconds: z.number().int().min(1).max(900).optional(),
    reservedConcurrency: z.number().int().min(0).optional(),
  })
  .strict();
// The mapping limits AWS documents for Kinesis and DynamoDB stream event sources.
const StreamConsumerSchema = FunctionSettingsSchema.extend({
  batchSize: z.number().int().min(1).max(10_000).optional(),
  batchingWindowSeconds: z.number().int().min(0).max(300).optional(),
  parallelizationFactor: z.number().int().min(1).max(10).optional(),
  maximumRetryAttempts: z.number().int().min(0).max(10_000).optional(),
  maximumRecordAgeSeconds: z.number().int().min(60).max(604_800).optional(),
  iteratorAgeAlarmMs: positiveInt.optional(),
}).strict();
const schedule = z
  .string()
  .regex(/^(rate|cron)\(.+\)$/, 'must be an EventBridge schedule expression, e.g. rate(15 minutes)');
const ScheduledSchema = FunctionSettingsSchema.extend({ schedule: schedule.optional() }).strict();
const WatchdogSchema = ScheduledSchema.extend({
  silenceMinutes: positiveInt.optional(),
  neverReportedGraceHours: positiveInt.optional(),
}).strict();
const TriageSchema = FunctionSettingsSchema.extend({
  signingSecretName: z.string().min(1).optional(),
  expectedScope: z.enum(['action', 'account', 'region']).optional(),
}).strict();
const ForwardingSchema = z
  .object({
    failureTolerancePercentage: z.number().int().min(0).max(100).optional(),
    maxConcurrentPercentage: z.number().int().min(1).max(100).optional(),
  })
  .strict();
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name');
const ReplaySchema = z
  .object({
    trailBucketName: bucketName,
    trailKmsKeyArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:/, 'must be a KMS key ARN')
      .optional(),
    trustedPrincipalArns: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::/, 'must be an IAM ARN')).min(1),
  })
  .strict();

// Step Functions' MaxConcurrency for a distributed map is at most 10,000 child executions.
const ReplayOnAwsSchema = z
  .object({
    enabled: z.boolean().optional(),
    concurrency: z.number().int().min(1).max(10_000).optional(),
    maxItemsPerBatch: z.number().int().min(1).max(1000).optional(),
    toleratedFailurePercentage: z.number().int().min(0).max(100).optional(),
    maxWriteUnitsPerSecond: positiveInt.optional(),
    memoryMb: z.number().int().min(128).max(10_240).optional(),
  })
  .strict();
// SQS event source limits: 1-10 messages without a batching window, up to 10,000 with one.
const TrailReaderSchema = FunctionSettingsSchema.extend({
  batchSize: z.number().int().min(1).max(10_000).optional(),
  batchingWindowSeconds: z.number().int().min(0).max(300).optional(),
  maxReceiveCount: z.number().int().min(1).max(1000).optional(),
  queueAgeAlarmSeconds: positiveInt.optional(),
}).strict();
const TrailSchema = z
  .object({
    bucketName,
    bucketAccountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    notification: z.enum(['s3', 'sns']).default('s3'),
    snsTopicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN')
      .optional(),
    kmsKeyArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/, 'must be a KMS key ARN')
      .optional(),
    keyPrefix: z
      .string()
      .regex(/^[^/].*[^/]$|^[^/]$/, 'must not start or end with /')
      .optional(),
    reader: TrailReaderSchema.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.notification === 'sns' && !t.snsTopicArn)
      ctx.addIssue({
        code: 'custom',
        path: ['snsTopicArn'],
        message: 'is required when notification is sns',
      });
    if (t.notification === 's3' && t.snsTopicArn)
      ctx.addIssue({
        code: 'custom',
        path: ['snsTopicArn'],
        message: 'is only read when notification is sns',
      });
    const r = t.reader;
    if (r?.batchSize !== undefined && r.batchSize > 10 && !r.batchingWindowSeconds)
      ctx.addIssue({
        code: 'custom',
        path: ['reader', 'batchSize'],
        message: 'above 10 needs reader.batchingWindowSeconds of at least 1 (SQS event sources)',
      });
  });

/** The keys the program reads under `firstseen:`, each with how its value is checked. */
const JSON_SETTINGS = {
  detector: StreamConsumerSchema,
  dispatcher: StreamConsumerSchema,
  redrive: ScheduledSchema,
  watchdog: WatchdogSchema,
  triage: TriageSchema,
  replay: ReplaySchema,
  replayOnAws: ReplayOnAwsSchema,
  forwarding: ForwardingSchema,
  trail: TrailSchema,
  s3DataEvents: S3DataEventsSchema,
} as const;
export const STACK_SETTING_KEYS: readonly string[] = [
  'orgId',
  'targetOus',
  'regions',
  'detection',
  'detectionFile',
  'namePrefix',
  'streamMode',
  'shardCount',
  'alarmEmail',
  'protectData',
  'includeSecurityAccount',
  'managementAccountRoleArn',
  ...Object.keys(JSON_SETTINGS),
].sort();

/** Levenshtein distance, for "did you mean" on a misspelt key. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

function unknownKeyProblem(key: string): string {
  const near = STACK_SETTING_KEYS.map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) })).sort(
    (x, y) => x.d - y.d,
  )[0];
  const hint = near && near.d <= 3 ? `did you mean firstseen:${near.k}? ` : '';
  return `firstseen:${key} is not a firstseen setting (${hint}known: ${STACK_SETTING_KEYS.join(', ')})`;
}

/**
 * Validates a detection config (the core's `parseConfig`: unknown keys, bounds, routing rules
 * naming undefined destinations) and the Secrets Manager names it implies, plus the Slack
 * signing secret's. `npm run check -- --config FILE` runs this alone.
 */
export function checkDetectionConfig(
  detection: unknown,
  signingSecretName: string,
  origin = 'firstseen:detection',
): { config?: Config; problems: string[]; warnings: string[] } {
  let config: Config;
  try {
    config = parseConfig(detection, origin);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { problems: [err.message], warnings: [] };
  }
  let names: string[];
  try {
    names = secretNames(config, [signingSecretName]);
  } catch (err) {
    if (!(err instanceof InfraConfigError)) throw err;
    return { config, problems: [err.message], warnings: [] };
  }
  // The guide asks for prefixed names (infra/README.md "Configure"); the config's defaults are
  // also local environment variable names, so an unprefixed name is advice, not an error.
  const unprefixed = names.filter((n) => !n.includes('/'));
  const warnings = unprefixed.length
    ? [
        `secret names without a prefix: ${unprefixed.join(', ')}; name them e.g. "firstseen/slack-webhook" in the detection config so they are grouped and a policy can scope them (secret:firstseen/*)`,
      ]
    : [];
  return { config, problems: [], warnings };
}

/**
 * Reads and validates the stack configuration: the one validation both `pulumi up` (index.ts)
 * and `npm run check` (offline, from `Pulumi.<stack>.yaml`) run, so both print the same
 * messages. Every problem found is reported at once, one per line. The detection and routing
 * config comes from `firstseen:detection` (JSON) or `firstseen:detectionFile` (a JSON file,
 * relative to `baseDir`) and goes through the core's `parseConfig` (unknown keys, routing to
 * undefined destinations, ...); the secret names it implies are checked against Secrets
 * Manager's rules.
 */
export function readStackSettings(
  get: ConfigGetter,
  baseDir: string,
  source: StackSettingsSource = {},
): StackSettings {
  const problems: string[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof InfraConfigError) {
        problems.push(err.message);
        return undefined;
      }
      throw err;
    }
  };
  const json = (key: string): unknown =>
    attempt(() => {
      const raw = get(key);
      if (raw === undefined || raw === '') return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch (err) {
        throw new InfraConfigError(
          `firstseen:${key} is not valid JSON (set it with \`pulumi config set --path\` or --json)`,
          { cause: err },
        );
      }
    });
  const stringList = (key: string): string[] | undefined => {
    if (get(key) === undefined) {
      problems.push(`firstseen:${key} is required (pulumi config set firstseen:${key} '["..."]')`);
      return undefined;
    }
    const v = json(key);
    if (v === undefined) return undefined; // not JSON: already reported
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      problems.push(`firstseen:${key} must be a JSON array of strings, e.g. ["a","b"]`);
      return undefined;
    }
    return v as string[];
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = get(key);
    if (v === undefined) return fallback;
    if (v !== 'true' && v !== 'false') problems.push(`firstseen:${key} must be true or false, got "${v}"`);
    return v === 'true';
  };
  const object = <S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined => {
    const v = json(key);
    if (v === undefined) return undefined;
    const parsed = schema.safeParse(v);
    if (parsed.success) return parsed.data;
    for (const i of parsed.error.issues) {
      const at = i.path.length ? `.${i.path.join('.')}` : '';
      problems.push(`firstseen:${key}${at}: ${i.message}`);
    }
    return undefined;
  };

  for (const key of source.keys ?? [])
    if (!STACK_SETTING_KEYS.includes(key)) problems.push(unknownKeyProblem(key));
  if (source.awsRegion !== undefined && !AWS_REGIONS.includes(source.awsRegion)) {
    problems.push(`aws:region: not an AWS region: ${source.awsRegion}`);
  }

  const orgId = get('orgId');
  if (!orgId) problems.push('firstseen:orgId is required (pulumi config set firstseen:orgId o-...)');
  else if (!ORG_ID_PATTERN.test(orgId))
    problems.push(`firstseen:orgId must look like o-xxxxxxxxxx, got "${orgId}"`);

  const targetOus = stringList('targetOus');
  if (targetOus) {
    const bad = targetOus.filter((ou) => !OU_OR_ROOT_ID_PATTERN.test(ou));
    if (targetOus.length === 0) problems.push('firstseen:targetOus: at least one OU or root id is required');
    if (bad.length) problems.push(`firstseen:targetOus: not an OU or root id: ${bad.join(', ')}`);
  }
  // No list: every region enabled for the organization (index.ts resolves them at `pulumi up`).
  const regionList = get('regions') === undefined ? undefined : stringList('regions');
  let regions: string[] | undefined;
  if (regionList) {
    try {
      regions = validateRegions(regionList);
    } catch (err) {
      if (!(err instanceof InfraConfigError)) throw err;
      problems.push(`firstseen:${err.message}`);
    }
  }

  let detection = json('detection');
  const file = get('detectionFile');
  if (file) {
    if (detection !== undefined)
      problems.push('set firstseen:detection or firstseen:detectionFile, not both');
    const full = path.resolve(baseDir, file);
    try {
      detection = JSON.parse(fs.readFileSync(full, 'utf8'));
    } catch (err) {
      problems.push(`firstseen:detectionFile ${full} cannot be read as JSON: ${(err as Error).message}`);
    }
  }

  const streamMode = get('streamMode') ?? 'ON_DEMAND';
  if (streamMode !== 'ON_DEMAND' && streamMode !== 'PROVISIONED') {
    problems.push(`firstseen:streamMode must be ON_DEMAND or PROVISIONED, got "${streamMode}"`);
  }
  const shardCountRaw = get('shardCount');
  const shardCount = shardCountRaw === undefined ? undefined : Number(shardCountRaw);
  if (shardCount !== undefined && !(Number.isInteger(shardCount) && shardCount > 0)) {
    problems.push(`firstseen:shardCount must be a positive integer, got "${shardCountRaw}"`);
  }
  if (streamMode === 'PROVISIONED' && shardCount === undefined) {
    problems.push('firstseen:shardCount is required when firstseen:streamMode is PROVISIONED');
  }

  const namePrefix = get('namePrefix') ?? 'firstseen';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(namePrefix)) {
    problems.push(
      `firstseen:namePrefix must be 1-20 of a-z 0-9 - starting with a letter, got "${namePrefix}"`,
    );
  }
  const alarmEmail = get('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    problems.push(`firstseen:alarmEmail is not an email address: "${alarmEmail}"`);
  }

  const detector = object('detector', JSON_SETTINGS.detector);
  const dispatcher = object('dispatcher', JSON_SETTINGS.dispatcher);
  const redrive = object('redrive', JSON_SETTINGS.redrive);
  const watchdog = object('watchdog', JSON_SETTINGS.watchdog);
  const triage = object('triage', JSON_SETTINGS.triage);
  const replay = object('replay', JSON_SETTINGS.replay);
  const replayOnAws = object('replayOnAws', JSON_SETTINGS.replayOnAws);
  if (replayOnAws?.enabled && get('replay') === undefined) {
    problems.push('firstseen:replayOnAws needs firstseen:replay (the trail bucket it reads)');
  }
  if (replayOnAws?.enabled) {
    try {
      seedWriteShare(replayOnAws);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  const forwarding = object('forwarding', JSON_SETTINGS.forwarding);
  const trail = object('trail', JSON_SETTINGS.trail);
  const s3DataEvents = object('s3DataEvents', JSON_SETTINGS.s3DataEvents);
  const managementAccountRoleArn = get('managementAccountRoleArn') || undefined;
  if (
    managementAccountRoleArn !== undefined &&
    !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(managementAccountRoleArn)
  ) {
    problems.push(
      `firstseen:managementAccountRoleArn must be an IAM role ARN, got "${managementAccountRoleArn}"`,
    );
  }
  const protectData = bool('protectData', true);
  const includeSecurityAccount = bool('includeSecurityAccount', true);

  const checked = checkDetectionConfig(
    detection ?? {},
    triage?.signingSecretName ?? defaultSlackSigningSecretName(namePrefix),
  );
  problems.push(...checked.problems);
  const config = checked.config;
  const warnings = checked.warnings;
  if (config)
    problems.push(...trailProblems(config.feed, trail, get('trail') !== undefined, source.awsRegion));
  if (s3DataEvents && config && !config.levels.resource) {
    warnings.push(
      'firstseen:s3DataEvents is set but the detection config leaves levels.resource off: the organization trail would log S3 data events (billed, $0.10 per 100,000) that only that level uses',
    );
  }

  if (problems.length > 0 || !config || !orgId || !targetOus || (regionList !== undefined && !regions)) {
    throw new InfraConfigError(problems.join('\n'));
  }
  return {
    namePrefix,
    orgId,
    targetOus,
    regions,
    config,
    stream: { mode: streamMode as 'ON_DEMAND' | 'PROVISIONED', shardCount },
    detector,
    dispatcher,
    redrive,
    watchdog,
    triage,
    alarmEmail,
    protectData,
    includeSecurityAccount,
    managementAccountRoleArn,
    forwarding,
    replay,
    replayOnAws,
    trail,
    ...(s3DataEvents && { s3DataEvents }),
    warnings,
  };
}

/** The trail feed's settings against the detection config's `feed` and the stack's region. */
function trailProblems(
  feed: Config['feed'],
  trail: TrailFeedSettings | undefined,
  trailSet: boolean,
  awsRegion: string | undefined,
): string[] {
  if (feed === 'eventbridge') {
    return trailSet
      ? [
          'firstseen:trail is set but the detection config\'s feed is eventbridge: set "feed": "trail" or "both" in the detection config, or remove firstseen:trail',
        ]
      : [];
  }
  if (!trailSet) {
    return [
      `the detection config's feed is ${feed}: firstseen:trail is required (pulumi config set --path firstseen:trail.bucketName <bucket>; firstseen:trail.bucketAccountId <account>)`,
    ];
  }
  const topicRegion = trail?.snsTopicArn?.split(':')[3];
  if (topicRegion && awsRegion && topicRegion !== awsRegion) {
    return [
      `firstseen:trail.snsTopicArn is in ${topicRegion} but the stack deploys to ${awsRegion}: deploy the stack in the trail's region (the queue, the reader and the subscription live together)`,
    ];
  }
  return [];
}
