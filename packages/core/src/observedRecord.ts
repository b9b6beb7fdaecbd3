import type { ObservedEvent } from './types';

/** Fields to keep: `true` keeps a field whole, a nested tree keeps only those fields of an object. */
export type FieldTree = { readonly [field: string]: true | FieldTree };

/**
 * The parts of `ObservedEvent.record` that anything reads after the record was decoded: the
 * resource level's bucket and the explanations' targets and IAM changes (`requestParameters`),
 * and an alert's evidence (`extractEvidence`: identity, MFA, console). `true` keeps a field whole;
 * a nested tree keeps only those fields of an object. Everything else a decoded event needs is
 * already a field of the event itself. `packages/replay/tests/unit/decodedFields.test.ts` fails
 * when code reads a field of a decoded record that is not here.
 */
export const FIELDS_READ_AFTER_DECODE = {
  eventSource: true,
  eventType: true,
  requestParameters: true,
  sessionCredentialFromConsole: true,
  additionalEventData: { MFAUsed: true },
  userIdentity: {
    accessKeyId: true,
    identityProvider: true,
    invokedBy: true,
    sessionContext: {
      attributes: { mfaAuthenticated: true },
      sessionIssuer: { arn: true },
      webIdFederationData: { federatedProvider: true },
    },
  },
} as const satisfies FieldTree;

function project(value: Record<string, unknown>, tree: FieldTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field in tree) {
    const v = value[field];
    if (v === undefined) continue;
    const sub = tree[field]!;
    // A value that is not an object is kept as it is: its readers see exactly what they saw.
    out[field] =
      sub === true || v === null || typeof v !== 'object' || Array.isArray(v)
        ? v
        : project(v as Record<string, unknown>, sub);
  }
  return out;
}

/** A record cut to FIELDS_READ_AFTER_DECODE (a new object; the record is not changed). */
export function decodedFieldsOf(record: Record<string, unknown>): Record<string, unknown> {
  return project(record, FIELDS_READ_AFTER_DECODE);
}

/**
 * The event with its record cut to FIELDS_READ_AFTER_DECODE: what a parallel replay keeps and
 * sends to the thread that owns the principal (a fraction of the bytes to copy between threads
 * and to keep until processed). Detection and explanations give the same result for it as for
 * the whole event.
 */
export function withDecodedFieldsOnly(event: ObservedEvent): ObservedEvent {
  return { ...event, record: decodedFieldsOf(event.record) };
}
