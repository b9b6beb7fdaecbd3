import type { Config, IgnoreRules } from './config';
import { matchesGlob } from './glob';
import { normalisePrincipal } from './normalisePrincipal';
import * as recordFields from './recordFields';
import {
  CLOUDTRAIL_DETAIL_TYPES,
  CloudTrailRecordSchema,
  EventBridgeEnvelopeSchema,
  parseEventTime,
} from './schemas';
import type { Decoded, IgnoreReason, InvalidReason, ObservedEvent } from './types';

// Local bindings of the field helpers: under tsx (how every package runs) an imported function is
// read through a module getter on each call, which profiled at about 2% of the hot path.
const asObject = recordFields.asObject;
const jsonKind = recordFields.jsonKind;
const nonEmptyString = recordFields.nonEmptyString;
const quote = recordFields.quote;

/** Default upper bound of one Kinesis record's data, before and after gunzip: 1 MiB. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

export interface DecodeOptions {
  /** `write-only` ignores events whose readOnly is true (docs/semantics.md; default `all`). */
  coverage?: 'all' | 'write-only';
  /** Ignore rules (globs); an empty or missing list matches nothing. */
  ignore?: Partial<IgnoreRules>;
  /** Largest accepted input in bytes, checked before parsing and after gunzip (default 1 MiB). */
  maxBytes?: number;
}

/** The decode options a config implies (coverage and ignore rules). */
export function decodeOptionsFromConfig(config: Pick<Config, 'coverage' | 'ignore'>): DecodeOptions {
  return { coverage: config.coverage, ignore: config.ignore };
}

export function invalid(reason: InvalidReason, detail: string): Decoded {
  return { outcome: 'invalid', reason, detail };
}

function ignoredOutcome(reason: IgnoreReason, detail: string, eventId: string | undefined): Decoded {
  return eventId === undefined
    ? { outcome: 'ignored', reason, detail }
    : { outcome: 'ignored', reason, eventId, detail };
}

// Checked in this order, so a record missing several fields always gets the same reason.
const REQUIRED_FIELDS = ['eventSource', 'eventName', 'awsRegion', 'eventID', 'eventTime'] as const;

function fieldProblem(field: (typeof REQUIRED_FIELDS)[number], value: unknown): string {
  if (field === 'eventTime' && nonEmptyString(value) !== undefined) {
    return `eventTime ${quote(value as string)} is not a valid date-time`;
  }
  if (value === undefined || value === '') return `${field} is missing`;
  return `${field} is ${jsonKind(value)}, not a non-empty string`;
}

/**
 * The invalid outcome of a record that fails CloudTrailRecordSchema, or undefined when it
 * passes. Only called once the direct check in classifyCloudTrailRecord failed. The reason
 * names the first failing field in REQUIRED_FIELDS order; the detail lists every failing field.
 */
function validationFailure(record: Record<string, unknown>): Decoded | undefined {
  const parsed = CloudTrailRecordSchema.safeParse(record);
  if (parsed.success) return undefined;
  const failing = new Set(parsed.error.issues.map((i) => i.path[0]));
  const fields = REQUIRED_FIELDS.filter((f) => failing.has(f));
  const first = fields[0];
  if (first === undefined) {
    // Unreachable while the schema checks only REQUIRED_FIELDS; kept so a new rule cannot pass silently.
    return invalid('not-object', 'record failed validation');
  }
  const reason: InvalidReason =
    first === 'eventTime' && nonEmptyString(record.eventTime) !== undefined
      ? 'bad-eventTime'
      : `missing-${first}`;
  return invalid(reason, fields.map((f) => fieldProblem(f, record[f])).join('; '));
}

// `<eventSource>:<eventName>` of each pair seen, so the hot path builds no fresh string per event;
// a memoised string also keeps its hash for the key memo in levelKeys.ts. Bounded: cleared whole
// at ACTION_MEMO_MAX actions.
const ACTION_MEMO_MAX = 50_000;
let actions = new Map<string, Map<string, string>>();
let actionCount = 0;

function actionOf(eventSource: string, eventName: string): string {
  if (actionCount >= ACTION_MEMO_MAX) {
    actions = new Map();
    actionCount = 0;
  }
  let byName = actions.get(eventSource);
  if (byName === undefined) {
    byName = new Map();
    actions.set(eventSource, byName);
  }
  let action = byName.get(eventName);
  if (action === undefined) {
    action = `${eventSource}:${eventName}`;
    byName.set(eventName, action);
    actionCount++;
  }
  return action;
}

function readOnlyOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return undefined;
}

/** The ignore-rule list that matched a call, the index of the glob in it and the glob. */
export interface IgnoreRuleMatch {
  list: keyof IgnoreRules;
  index: number;
  glob: string;
}

const IGNORE_FIELDS = [
  ['principals', 'principal'],
  ['actions', 'action'],
  ['accounts', 'account'],
  ['regions', 'region'],
  ['identityTypes', 'identityType'],
] as const;

/**
 * The first ignore rule that matches a call (lists in this order: principals, actions,
 * accounts, regions, identityTypes; a call matching any glob of any list is ignored), or
 * undefined. The one matcher of ignore rules: the decoder uses it, and so does the report that
 * counts the alerts a suggested rule would have removed.
 */
export function matchIgnoreRule(
  e: Pick<ObservedEvent, 'principal' | 'action' | 'account' | 'region' | 'identityType'>,
  rules: Partial<IgnoreRules> | undefined,
): IgnoreRuleMatch | undefined {
  if (rules === undefined) return undefined;
  for (const [list, field] of IGNORE_FIELDS) {
    const globs = rules[list];
    if (!globs?.length) continue;
    const index = globs.findIndex((g) => matchesGlob(e[field], g));
    if (index >= 0) return { list, index, glob: globs[index]! };
  }
  return undefined;
}

/**
 * Classifies one bare CloudTrail record. Order (docs/semantics.md "Input"):
 * 1. an Insight event (`eventType` AwsCloudTrailInsight or `eventCategory` Insight) is ignored
 *    before validation: it describes API-call rates, not a call, and AWS writes it without a
 *    top-level eventSource/eventName, so validating it first would make every real Insight
 *    event invalid and the specification's "ignored: Insight" unreachable;
 * 2. validation of the fields detection needs (invalid);
 * 3. the principal table and the account (ignored);
 * 4. ignore rules, then coverage `write-only` (ignored);
 * 5. observed.
 */
function classifyCloudTrailRecord(
  record: Record<string, unknown>,
  options: DecodeOptions | undefined,
): Decoded {
  if (record.eventType === 'AwsCloudTrailInsight' || record.eventCategory === 'Insight') {
    return ignoredOutcome('insight', 'CloudTrail Insight event', nonEmptyString(record.eventID));
  }
  // Fast path, same rules as CloudTrailRecordSchema: zod's loose object copies every field of the
  // record, which cost about a sixth of the hot path (npm run bench); it only runs on failure.
  const eventSource = record.eventSource;
  const eventName = record.eventName;
  const region = record.awsRegion;
  const eventId = record.eventID;
  const eventTime = record.eventTime;
  const time = typeof eventTime === 'string' ? parseEventTime(eventTime) : undefined;
  if (
    typeof eventSource !== 'string' ||
    eventSource.length === 0 ||
    typeof eventName !== 'string' ||
    eventName.length === 0 ||
    typeof region !== 'string' ||
    region.length === 0 ||
    typeof eventId !== 'string' ||
    eventId.length === 0 ||
    time === undefined
  ) {
    return validationFailure(record) ?? invalid('not-object', 'record failed validation');
  }

  const identity = normalisePrincipal(record);
  if (identity.outcome === 'ignored') return ignoredOutcome(identity.reason, identity.detail, eventId);

  const event: ObservedEvent = {
    eventId,
    eventTime: eventTime as string,
    time,
    account: identity.account,
    region,
    eventSource,
    eventName,
    action: actionOf(eventSource, eventName),
    principal: identity.principal,
    identityType: identity.identityType,
    failed: false,
    // Every optional field present (undefined when the record has none), in this order: every
    // event then has one shape, which the engine's, the explainer's and the codec's code is
    // compiled for (with a shape per combination of fields, V8 threw away and redid their
    // compiled code many times).
    errorCode: undefined,
    errorMessage: undefined,
    readOnly: undefined,
    sessionName: undefined,
    sourceIdentity: undefined,
    sourceIPAddress: undefined,
    userAgent: undefined,
    record,
  };
  const errorCode = nonEmptyString(record.errorCode);
  if (errorCode !== undefined) {
    event.errorCode = errorCode;
    event.failed = true;
  }
  const errorMessage = nonEmptyString(record.errorMessage);
  if (errorMessage !== undefined) event.errorMessage = errorMessage;
  const readOnly = readOnlyOf(record.readOnly);
  if (readOnly !== undefined) event.readOnly = readOnly;
  if (identity.sessionName !== undefined) event.sessionName = identity.sessionName;
  const sessionContext = asObject(asObject(record.userIdentity)?.sessionContext);
  const sourceIdentity =
    nonEmptyString(sessionContext?.sourceIdentity) ?? nonEmptyString(record.sourceIdentity);
  if (sourceIdentity !== undefined) event.sourceIdentity = sourceIdentity;
  const sourceIPAddress = nonEmptyString(record.sourceIPAddress);
  if (sourceIPAddress !== undefined) event.sourceIPAddress = sourceIPAddress;
  const userAgent = nonEmptyString(record.userAgent);
  if (userAgent !== undefined) event.userAgent = userAgent;

  const rule = matchIgnoreRule(event, options?.ignore);
  if (rule !== undefined) {
    const name = `ignore.${rule.list}[${rule.index}] ${quote(rule.glob, 80)}`;
    return ignoredOutcome('ignore-rule', `matched ${name}`, eventId);
  }
  if (options?.coverage === 'write-only' && event.readOnly === true) {
    return ignoredOutcome('read-only', 'read-only event under coverage write-only', eventId);
  }
  return { outcome: 'observed', event };
}

/**
 * Only AWS can put an event whose `source` starts with `aws.` (PutEvents refuses it to anyone
 * else), so it is the one envelope field that says CloudTrail, not a caller, wrote the detail.
 */
export const TRUSTED_SOURCE_PREFIX = 'aws.';

/** An untrusted string as a short log field (the envelope's own fields are bounded too). */
function bounded(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

/**
 * The ignored outcome of an envelope whose `source` is not AWS's (docs/semantics.md "Input"): anyone
 * allowed to call PutEvents on a bus upstream could have written it. It carries the
 * envelope's `account` (set by EventBridge to the caller's account) for the log.
 */
function untrustedSource(envelope: Record<string, unknown>, source: unknown): Decoded {
  const detail =
    typeof source === 'string' ? `source ${quote(source)} is not aws.*` : `source is ${jsonKind(source)}`;
  const account = envelope.account;
  return {
    outcome: 'ignored',
    reason: 'untrusted-source',
    detail,
    envelopeAccount: typeof account === 'string' ? bounded(account) : jsonKind(account),
  };
}

/**
 * Classifies one already-parsed JSON value: an EventBridge envelope (CloudTrail detail-types
 * from an `aws.*` source yield their `detail`; any other detail-type, or a source that is not
 * AWS's, is ignored) or a bare CloudTrail record. An observed envelope whose `account` differs
 * from its record's `recipientAccountId` carries `accountMismatch` (counted and logged by the
 * caller, still observed). The
 * replay calls this once per line; decodeRecord calls it once per record it unwraps.
 */
export function classifyRecord(value: unknown, options?: DecodeOptions): Decoded {
  const object = asObject(value);
  if (object === undefined) return invalid('not-object', `expected a JSON object, got ${jsonKind(value)}`);
  if ('detail-type' in object) {
    // Direct check, same rule as EventBridgeEnvelopeSchema (a string detail-type; detail is
    // checked below): its loose object would copy every field of the envelope. zod runs only to
    // confirm a failure.
    const detailType = object['detail-type'];
    if (typeof detailType !== 'string' && !EventBridgeEnvelopeSchema.safeParse(object).success) {
      return invalid('not-object', `detail-type is ${jsonKind(detailType)}, not a string`);
    }
    if (!CLOUDTRAIL_DETAIL_TYPES.includes(detailType as string)) {
      return ignoredOutcome('detail-type', `detail-type ${quote(detailType as string)}`, undefined);
    }
    const source = object.source;
    if (typeof source !== 'string' || !source.startsWith(TRUSTED_SOURCE_PREFIX)) {
      return untrustedSource(object, source);
    }
    const detail = asObject(object.detail);
    if (detail === undefined) {
      return invalid('not-object', `envelope detail is ${jsonKind(object.detail)}, not an object`);
    }
    const decoded = classifyCloudTrailRecord(detail, options);
    if (decoded.outcome === 'observed') {
      const envelopeAccount = nonEmptyString(object.account);
      const recipient = nonEmptyString(detail.recipientAccountId);
      if (envelopeAccount !== undefined && recipient !== undefined && envelopeAccount !== recipient) {
        decoded.accountMismatch = { envelope: bounded(envelopeAccount), recipient: bounded(recipient) };
      }
    }
    return decoded;
  }
  return classifyCloudTrailRecord(object, options);
}
