import { z } from 'zod';
import { ConfigError } from './errors';

/**
 * The one configuration object of firstseen (DESIGN.md "Configuration"). Every field has a
 * default, so `parseConfig({})` is the documented default configuration.
 */

/** DESIGN.md's default sensitive actions, as `<eventSource>:<eventName>`. */
export const DEFAULT_SENSITIVE_ACTIONS: readonly string[] = [
  'cloudtrail.amazonaws.com:StopLogging',
  'cloudtrail.amazonaws.com:DeleteTrail',
  'cloudtrail.amazonaws.com:UpdateTrail',
  'cloudtrail.amazonaws.com:PutEventSelectors',
  'guardduty.amazonaws.com:DeleteDetector',
  'guardduty.amazonaws.com:DisassociateFromMasterAccount',
  'guardduty.amazonaws.com:DisassociateFromAdministratorAccount',
  'iam.amazonaws.com:CreateUser',
  'iam.amazonaws.com:CreateAccessKey',
  'iam.amazonaws.com:CreateLoginProfile',
  'iam.amazonaws.com:AttachUserPolicy',
  'iam.amazonaws.com:PutUserPolicy',
  'iam.amazonaws.com:AttachRolePolicy',
  'iam.amazonaws.com:PutRolePolicy',
  'iam.amazonaws.com:UpdateAssumeRolePolicy',
  'organizations.amazonaws.com:LeaveOrganization',
  'kms.amazonaws.com:ScheduleKeyDeletion',
  's3.amazonaws.com:PutBucketPolicy',
  's3.amazonaws.com:DeleteBucketPolicy',
  's3.amazonaws.com:PutBucketPublicAccessBlock',
  's3.amazonaws.com:DeleteBucketPublicAccessBlock',
  's3.amazonaws.com:PutBucketAcl',
  'events.amazonaws.com:DisableRule',
  'events.amazonaws.com:DeleteRule',
  'events.amazonaws.com:RemoveTargets',
  'events.amazonaws.com:PutRule',
  'config.amazonaws.com:StopConfigurationRecorder',
];

const LevelSchema = z.enum(['account', 'role', 'region', 'window']);
const SeveritySchema = z.enum(['low', 'medium', 'high']);
const nonNegInt = z.number().int().nonnegative();
const glob = z.string().min(1);

/** A severity rule: every condition given must hold; the first matching rule wins. */
export const SeverityRuleSchema = z
  .object({
    severity: SeveritySchema,
    /** The action is on the sensitive list. */
    sensitive: z.boolean().optional(),
    /** Principal globs (`*` any run including `/`, `?` one character). */
    principals: z.array(glob).optional(),
    /** Any of these levels fired. */
    levels: z.array(LevelSchema).optional(),
    /** A level fired for a first success after failed calls. */
    firstSuccessAfterFailure: z.boolean().optional(),
    actions: z.array(glob).optional(),
  })
  .strict();

export const DEFAULT_SEVERITY_RULES: z.input<typeof SeverityRuleSchema>[] = [
  { severity: 'high', sensitive: true },
  { severity: 'high', principals: ['root/*'] },
  { severity: 'medium', levels: ['role'] },
  { severity: 'medium', firstSuccessAfterFailure: true },
];

export const IgnoreRulesSchema = z
  .object({
    principals: z.array(glob).default([]),
    actions: z.array(glob).default([]),
    accounts: z.array(glob).default([]),
    regions: z.array(glob).default([]),
    identityTypes: z.array(glob).default([]),
  })
  .strict();

export const DestinationSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('slack'),
      /** `webhook`: incoming webhook URL in the secret; `bot`: bot token in the secret + channel. */
      mode: z.enum(['webhook', 'bot']).default('webhook'),
      channel: z.string().min(1).optional(),
      /** Secrets Manager secret name (AWS) or environment variable name (local) holding the URL or token. */
      secret: z.string().min(1).default('FIRSTSEEN_SLACK_WEBHOOK_URL'),
      /** Add the triage buttons (Expected / Suspicious / Snooze) to each alert (issue 11). */
      interactive: z.boolean().default(false),
      /**
       * Triage accepts clicks only from these Slack workspaces (`T…`; on Enterprise Grid also the
       * organization `E…`, which Slack reports as the user's team). Required when interactive.
       */
      teamIds: z
        .array(z.string().regex(/^[TE][A-Z0-9]+$/, 'a Slack team id (T… or E…)'))
        .min(1)
        .optional(),
      /** Triage accepts clicks only for this Slack app (`A…`, the payload's api_app_id). Required when interactive. */
      appId: z
        .string()
        .regex(/^A[A-Z0-9]+$/, 'a Slack app id (A…)')
        .optional(),
      /** When given, triage accepts clicks only from these Slack users. */
      triagerUserIds: z
        .array(z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user id (U… or W…)'))
        .min(1)
        .optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('pagerduty'),
      /** Secrets Manager secret name (AWS) or environment variable name (local) holding the routing key. */
      secret: z.string().min(1).default('FIRSTSEEN_PAGERDUTY_ROUTING_KEY'),
    })
    .strict(),
  z.object({ type: z.literal('console') }).strict(),
]);

export const RoutingRuleSchema = z
  .object({
    levels: z.array(LevelSchema).optional(),
    severities: z.array(SeveritySchema).optional(),
    principals: z.array(glob).optional(),
    accounts: z.array(glob).optional(),
    actions: z.array(glob).optional(),
    /** Destination names (keys of `routing.destinations`). */
    destinations: z.array(z.string().min(1)).min(1),
  })
  .strict();

export const RoutingSchema = z
  .object({
    destinations: z
      .record(z.string().min(1), DestinationSchema)
      .prefault({ slack: { type: 'slack' }, pagerduty: { type: 'pagerduty' } }),
    /** Every matching rule adds its destinations. */
    rules: z
      .array(RoutingRuleSchema)
      .default([{ destinations: ['slack'] }, { severities: ['high'], destinations: ['pagerduty'] }]),
    /** Storm control: past this many messages per destination per minute, send one summary (0 = off). */
    stormThresholdPerMinute: nonNegInt.default(20),
  })
  .strict();

export const OwnerSchema = z
  .object({
    /** Principal glob this owner entry covers. */
    principal: glob,
    team: z.string().min(1).optional(),
    slackUserIds: z.array(z.string().regex(/^[UW][A-Z0-9]+$/)).default([]),
    slackGroupIds: z.array(z.string().regex(/^S[A-Z0-9]+$/)).default([]),
    slackChannelIds: z.array(z.string().regex(/^[CGD][A-Z0-9]+$/)).default([]),
    pagerDutyRoutingKeySecret: z.string().min(1).optional(),
  })
  .strict();

export const ConfigSchema = z
  .object({
    levels: z
      .object({
        account: z.boolean().default(true),
        role: z.boolean().default(true),
        region: z.boolean().default(true),
        window: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    coverage: z.enum(['all', 'write-only']).default('all'),
    /**
     * Where events come from (docs/semantics.md "Second feed"): `eventbridge` (the organization
     * bus into Kinesis), `trail` (the organization trail's log files) or `both`.
     */
    feed: z.enum(['eventbridge', 'trail', 'both']).default('eventbridge'),
    /** `window` fires when the role key's lastSeen is older than this (0 = off). */
    windowDays: nonNegInt.default(90),
    /** Alerts for a principal are suppressed this long after its first sighting (0 = off). */
    burnInDays: nonNegInt.default(14),
    /** A key unseen this long expires and is claimed anew. */
    retentionDays: z.number().int().positive().default(400),
    sensitiveActions: z.array(z.string().min(1)).default([...DEFAULT_SENSITIVE_ACTIONS]),
    severityRules: z.array(SeverityRuleSchema).prefault(DEFAULT_SEVERITY_RULES),
    /** Severity when no rule matches. */
    defaultSeverity: SeveritySchema.default('low'),
    ignore: IgnoreRulesSchema.prefault({}),
    routing: RoutingSchema.prefault({}),
    owners: z.array(OwnerSchema).default([]),
    /** How long the alerts table keeps an alert (DynamoDB TTL). */
    alertRetentionDays: z.number().int().positive().default(365),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.windowDays > 0 && c.windowDays >= c.retentionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['windowDays'],
        message: `windowDays (${c.windowDays}) must be less than retentionDays (${c.retentionDays})`,
      });
    }
    for (const [name, d] of Object.entries(c.routing.destinations)) {
      if (d.type !== 'slack' || !d.interactive) continue;
      // Without them any workspace or app holding the signing secret's messages could triage.
      if (!d.teamIds) {
        ctx.addIssue({
          code: 'custom',
          path: ['routing', 'destinations', name, 'teamIds'],
          message: 'required when interactive is true: the Slack team ids whose clicks triage accepts',
        });
      }
      if (!d.appId) {
        ctx.addIssue({
          code: 'custom',
          path: ['routing', 'destinations', name, 'appId'],
          message: 'required when interactive is true: the id of the Slack app that sends the clicks',
        });
      }
    }
    const names = new Set(Object.keys(c.routing.destinations));
    c.routing.rules.forEach((rule, i) => {
      rule.destinations.forEach((d, j) => {
        if (!names.has(d)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routing', 'rules', i, 'destinations', j],
            message: `unknown destination "${d}" (known: ${[...names].join(', ') || 'none'})`,
          });
        }
      });
    });
  });

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type SeverityRule = z.output<typeof SeverityRuleSchema>;
export type IgnoreRules = z.output<typeof IgnoreRulesSchema>;
export type Destination = z.output<typeof DestinationSchema>;
export type RoutingRule = z.output<typeof RoutingRuleSchema>;
export type Owner = z.output<typeof OwnerSchema>;

/**
 * Validates a config object and applies defaults. Throws ConfigError whose message names every
 * offending path, e.g. `windowDays: must be less than retentionDays`.
 */
export function parseConfig(input: unknown, origin = 'config'): Config {
  const result = ConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`,
    );
    throw new ConfigError(`invalid ${origin}: ${lines.join('; ')}`, lines);
  }
  return result.data;
}

/** The default configuration. */
export function defaultConfig(): Config {
  return parseConfig({});
}
