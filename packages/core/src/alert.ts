import { z } from 'zod';
import { AccountInfoSchema } from './accountInfo';
import { AlertEvidenceSchema } from './evidence';

/**
 * The levels at which a first occurrence is detected. `window` is carried by the `role` key;
 * `resource` (a principal's first touch of an S3 bucket) is opt-in (config `levels.resource`).
 */
export const LevelSchema = z.enum(['account', 'role', 'region', 'window', 'resource']);
export type Level = z.infer<typeof LevelSchema>;

export const SeveritySchema = z.enum(['low', 'medium', 'high']);
export type Severity = z.infer<typeof SeveritySchema>;

/** Who wrote a claim: the live detector, the replay's seed mode, or its reconcile mode. */
export const ClaimSourceSchema = z.enum(['live', 'seed', 'reconcile']);
export type ClaimSource = z.infer<typeof ClaimSourceSchema>;

/**
 * The alert of the semantics (docs/semantics.md "Policy and the alert"): the outbox item, the stream image the
 * dispatcher reads, the replay's output line. Every string is attacker-controlled. An alert read
 * back (stream image, scan, triage) is parsed with this schema: what delivery needs is required;
 * a malformed optional detail is dropped rather than failing the whole alert.
 */
export const AlertSchema = z.object({
  alertId: z.string().min(1),
  eventId: z.string().min(1),
  eventTime: z.string().min(1),
  principal: z.string().min(1),
  account: z.string(),
  /** The account's name, OU path and tags from the account directory (set at delivery, never stored). */
  accountInfo: AccountInfoSchema.optional().catch(undefined),
  region: z.string(),
  action: z.string().min(1),
  levels: z.array(LevelSchema).catch([]),
  severity: SeveritySchema,
  /** Which rule set the severity: a severity rule's name, `severityRules[<i>]` or `defaultSeverity`. */
  severityRule: z.string().optional().catch(undefined),
  identityType: z.string().catch(''),
  sessionName: z.string().optional().catch(undefined),
  sourceIdentity: z.string().optional().catch(undefined),
  sourceIPAddress: z.string().optional().catch(undefined),
  userAgent: z.string().optional().catch(undefined),
  errorCode: z.string().optional().catch(undefined),
  /** The resource the `resource` level keyed on, `s3:<bucket>` (set whenever that level is on and the event names a bucket). */
  resource: z.string().optional().catch(undefined),
  errorMessage: z.string().optional().catch(undefined),
  requestParameters: z.unknown().optional(),
  /** The role key's lastSeen (ISO 8601) before a `window` return. */
  previousSeen: z.string().optional().catch(undefined),
  /** True when a level fired because of a first success after failed calls. */
  firstSuccessAfterFailure: z.boolean().optional().catch(undefined),
  /** True when the action is on the sensitive list. */
  sensitive: z.boolean().optional().catch(undefined),
  /** The source that produced this alert. */
  source: ClaimSourceSchema.catch('live'),
  /** Target, access key, MFA, role chain and console/programmatic access (see evidence.ts). */
  evidence: AlertEvidenceSchema.optional().catch(undefined),
  /** Explanations (filled by the explain feature; an object, possibly empty). */
  context: z.record(z.string(), z.unknown()).catch({}),
  /** When the outbox wrote the alert: epoch milliseconds (an ISO string in older items). */
  createdAt: z.union([z.string(), z.number()]).optional().catch(undefined),
});
export type Alert = z.infer<typeof AlertSchema>;

/** Explanations attached to an alert. */
export type AlertContext = Alert['context'];

/**
 * Parses an alerts-table item (unmarshalled stream image, scan or get) into an Alert; undefined
 * when it is not one. The table key `pk` stands in for a missing alertId; other attributes
 * (delivery state, triage decisions, TTL) are left out.
 */
export function parseAlert(item: Record<string, unknown>): Alert | undefined {
  const parsed = AlertSchema.safeParse({ alertId: item['alertId'] ?? item['pk'], ...item });
  return parsed.success ? withoutUndefined(parsed.data) : undefined;
}

// Optional keys the item did not have are not set to undefined: the alert equals what was written.
function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
