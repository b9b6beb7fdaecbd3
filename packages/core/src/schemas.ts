import { z } from 'zod';

/**
 * Edge schemas for what arrives on the stream (docs/semantics.md "Input"). They check only the fields
 * detection uses and let every other field through untouched (loose objects): an odd optional
 * field (`readOnly: "true"`, `errorCode: ""`, an invalid IP) never makes a record invalid.
 */

/** The EventBridge detail-types whose `detail` is a CloudTrail record. */
export const CLOUDTRAIL_DETAIL_TYPES: readonly string[] = [
  'AWS API Call via CloudTrail',
  'AWS Console Sign In via CloudTrail',
  'AWS Console Action via CloudTrail',
  'AWS Service Event via CloudTrail',
];

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM|+HHMM|-HHMM)`, upper-case `T` and `Z`.
 * Groups: year, month, day, hour, minute, second, fraction, zone.
 */
export const EVENT_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). Plain
// arithmetic rather than Date.UTC, which maps years 0-99 to 1900-1999.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

// Two ASCII digits at i as a number, or -1 (what `\d{2}` matches: 0-9 only, no Unicode digits).
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Parses a CloudTrail eventTime to epoch milliseconds, or returns undefined when it does not
 * match EVENT_TIME_PATTERN or is not a real calendar date and time: month 01-12, a day that
 * exists in that month (leap years per the Gregorian rule), hour 00-23 (no `T24:00`), minute
 * and second 00-59 (no leap second), offset hours 00-23 and minutes 00-59. A fraction is
 * truncated to whole milliseconds.
 *
 * Hand-written scan of exactly EVENT_TIME_PATTERN (it is on the hot path of every record; the
 * regex, its capture strings and their Number() conversions cost about 6% of decoding).
 */
export function parseEventTime(value: string): number | undefined {
  const n = value.length;
  // Shortest match: `YYYY-MM-DDTHH:MM:SSZ`, 20 characters.
  if (n < 20) return undefined;
  const y1 = twoDigits(value, 0);
  const y2 = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  if (
    y1 < 0 ||
    y2 < 0 ||
    month < 0 ||
    day < 0 ||
    hour < 0 ||
    minute < 0 ||
    second < 0 ||
    value.charCodeAt(4) !== 45 /* - */ ||
    value.charCodeAt(7) !== 45 /* - */ ||
    value.charCodeAt(10) !== 84 /* T */ ||
    value.charCodeAt(13) !== 58 /* : */ ||
    value.charCodeAt(16) !== 58 /* : */
  ) {
    return undefined;
  }
  let i = 19;
  let millis = 0;
  if (value.charCodeAt(i) === 46 /* . */) {
    // `\.(\d+)`: at least one digit; the first three are the milliseconds (padded with zeros).
    i++;
    const fracStart = i;
    while (i < n) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (i - fracStart < 3) millis = millis * 10 + d;
      i++;
    }
    const digits = i - fracStart;
    if (digits === 0) return undefined;
    if (digits === 1) millis *= 100;
    else if (digits === 2) millis *= 10;
  }
  let offsetMinutes = 0;
  const zone = value.charCodeAt(i);
  if (zone === 90 /* Z */) {
    if (i + 1 !== n) return undefined;
  } else if (zone === 43 /* + */ || zone === 45 /* - */) {
    // `[+-]\d{2}:?\d{2}` then the end.
    const oh = twoDigits(value, i + 1);
    let j = i + 3;
    if (value.charCodeAt(j) === 58 /* : */) j++;
    const om = twoDigits(value, j);
    if (oh < 0 || om < 0 || j + 2 !== n) return undefined;
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = zone === 45 ? -(oh * 60 + om) : oh * 60 + om;
  } else {
    return undefined;
  }
  const year = y1 * 100 + y2;
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + millis;
}

const RequiredString = z.string().min(1);

/** A CloudTrail eventTime: the strict pattern and a real calendar date and time. */
export const EventTimeSchema = z
  .string()
  .min(1)
  .refine((s) => parseEventTime(s) !== undefined, {
    message: 'eventTime is not YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM) with a real date and time',
  });

/** The fields of a CloudTrail record that detection needs; everything else passes through. */
export const CloudTrailRecordSchema = z.looseObject({
  eventSource: RequiredString,
  eventName: RequiredString,
  awsRegion: RequiredString,
  eventID: RequiredString,
  eventTime: EventTimeSchema,
});

export type CloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;

/** An EventBridge event: only `detail-type` decides what it is; `detail` is checked later. */
export const EventBridgeEnvelopeSchema = z.looseObject({
  'detail-type': z.string(),
  detail: z.unknown(),
});

export type EventBridgeEnvelope = z.infer<typeof EventBridgeEnvelopeSchema>;

/** A CloudWatch Logs subscription payload (after gunzip). */
export const CloudWatchLogsPayloadSchema = z.looseObject({
  messageType: z.string(),
  logEvents: z.array(z.looseObject({ message: z.unknown() })).optional(),
});

export type CloudWatchLogsPayload = z.infer<typeof CloudWatchLogsPayloadSchema>;
