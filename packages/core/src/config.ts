import { z } from 'zod';
import { LevelSchema, SeveritySchema } from './alert';
import { ConfigError } from './errors';

/**
 * The one configuration object of firstseen (docs/semantics.md "Configuration"). Every field has a
 * default, so `parseConfig({})` is the documented default configuration.
 */

/** docs/semantics.md's default sensitive actions, as `<eventSource>:<eventName>`. */
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
  // Defence evasion: switching off or blinding the detective controls.
  'iam.amazonaws.com:DeactivateMFADevice',
  'iam.amazonaws.com:DeleteVirtualMFADevice',
  'ec2.amazonaws.com:DeleteFlowLogs',
  'ec2.amazonaws.com:DisableEbsEncryptionByDefault',
  'securityhub.amazonaws.com:DisableSecurityHub',
  'config.amazonaws.com:DeleteConfigRule',
  'config.amazonaws.com:DeleteConfigurationRecorder',
  'config.amazonaws.com:DeleteDeliveryChannel',
  'access-analyzer.amazonaws.com:DeleteAnalyzer',
  'kms.amazonaws.com:DisableKey',
  // Sharing data or keys outside the organization.
  'kms.amazonaws.com:PutKeyPolicy',
  'ec2.amazonaws.com:ModifySnapshotAttribute',
  'ec2.amazonaws.com:ModifyImageAttribute',
  'rds.amazonaws.com:ModifyDBSnapshotAttribute',
  // Persistence: new ways in (identity providers, passwords, keys, policy versions, invokers).
  'iam.amazonaws.com:CreateSAMLProvider',
  'iam.amazonaws.com:UpdateSAMLProvider',
  'iam.amazonaws.com:CreateOpenIDConnectProvider',
  'iam.amazonaws.com:UpdateLoginProfile',
  'iam.amazonaws.com:AddUserToGroup',
  'iam.amazonaws.com:AttachGroupPolicy',
  'iam.amazonaws.com:PutGroupPolicy',
  'iam.amazonaws.com:CreatePolicyVersion',
  'iam.amazonaws.com:SetDefaultPolicyVersion',
  // Lambda records versioned event names (both occur in real trails).
  'lambda.amazonaws.com:AddPermission20150331',
  'lambda.amazonaws.com:AddPermission20150331v2',
  'ec2.amazonaws.com:ImportKeyPair',
];

const nonNegInt = z.number().int().nonnegative();
const glob = z.string().min(1);

/** A severity rule: every condition given must hold; the first matching rule wins. */
export const SeverityRuleSchema = z
  .object({
    severity: SeveritySchema,
    /** Names the rule on the alerts it decides (`severityRule`); default `severityRules[<index>]`. */
    name: z.string().min(1).max(64).optional(),
    /** The action is on the sensitive list. */
    sensitive: z.boolean().optional(),
    /** Principal globs (`*` any run including `/`, `?` one character). */
    principals: z.array(glob).optional(),
    /** Any of these levels fired. */
    levels: z.array(LevelSchema).optional(),
    /** A level fired for a first success after failed calls. */
    firstSuccessAfterFailure: z.boolean().optional(),
    actions: z.array(glob).optional(),
    /** The user agent names an offensive distribution or tool (OFFENSIVE_USER_AGENTS). */
    offensiveUserAgent: z.boolean().optional(),
    /**
     * At least this many denied new calls in the principal's current burst of new actions (the
     * explain feature's `facts.burst.denied`; never matches when explanations are off).
     */
    deniedBurst: z.number().int().positive().optional(),
    /**
     * The call came from a user agent family or network new to the principal (the explain
     * feature's `facts.unusualUserAgent` / `facts.unusualNetwork`).
     */
    newContext: z.boolean().optional(),
  })
  .strict();

export const DEFAULT_SEVERITY_RULES: z.input<typeof SeverityRuleSchema>[] = [
  { name: 'sensitive-action', severity: 'high', sensitive: true },
  { name: 'root-principal', severity: 'high', principals: ['root/*'] },
  { name: 'offensive-user-agent', severity: 'high', offensiveUserAgent: true },
  { name: 'denied-burst-new-context', severity: 'high', deniedBurst: 3, newContext: true },
  { name: 'new-role-action', severity: 'medium', levels: ['role'] },
  { name: 'first-success-after-failure', severity: 'medium', firstSuccessAfterFailure: true },
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
      /**
       * Bot mode: a principal's alerts within this many minutes of its thread's first alert are
       * replies in one thread (webhooks cannot thread: they keep one message per batch group).
       */
      threadWindowMinutes: z.number().int().min(1).max(1440).default(60),
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
    /** Account id or name globs (names from the account directory; an id always matches). */
    accounts: z.array(glob).optional(),
    /** OU path globs over the directory's `Production/Payments` paths (`Production*`: the OU and below). */
    ous: z.array(glob).optional(),
    /** `key=value-glob`: any of these account tags (from the account directory) is present. */
    accountTags: z
      .array(z.string().regex(/^[^=]+=/, 'an account tag condition key=value (value may be a glob)'))
      .optional(),
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
    /**
     * Where an alert goes when no rule matches and a rule could not be decided because the
     * account is not in the account directory (`ous`, `accountTags`, `accounts` by name). Default:
     * the Slack and console destinations the rules use (PagerDuty's only when there is nothing else).
     */
    defaultDestinations: z.array(z.string().min(1)).min(1).optional(),
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
        /** A principal's first touch of an S3 bucket (docs/semantics.md "Levels and keys"); opt-in. */
        resource: z.boolean().default(false),
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
    c.routing.defaultDestinations?.forEach((d, j) => {
      if (!names.has(d)) {
        ctx.addIssue({
          code: 'custom',
          path: ['routing', 'defaultDestinations', j],
          message: `unknown destination "${d}" (known: ${[...names].join(', ') || 'none'})`,
        });
      }
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
