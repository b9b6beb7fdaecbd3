/**
 * How simulate's workers send each other events (replayPart.ts): as two typed arrays, moved
 * rather than copied, and one list of the batch's distinct strings. A structured clone of the
 * event objects cost about 3 µs an event to write and 4-5 µs to read back. Here
 * - the strings a batch repeats (account, region, action, principal, user agent, a session's
 *   access key and role, ...) are sent once, and read back once, for the whole batch;
 * - the record, cut to FIELDS_READ_AFTER_DECODE as it is encoded, travels field by field (no
 *   JSON but for values that are not strings or objects, such as requestParameters) and is
 *   put back together only if something reads it: an IAM change, the resource level's bucket,
 *   an alert's evidence. Most events are never read that far.
 * Over the real corpus (tests/unit/eventCodec.test.ts's events), writing an event costs about
 * 3.6 µs (4.7 with the record as JSON) and reading it back a tenth of that.
 * Every event the receiver processes is a ReceivedEvent, one shape for the engine's code.
 */
import { FIELDS_READ_AFTER_DECODE, type FieldTree, type ObservedEvent } from '@firstseen/core';
import type { RoutedEvent } from './protocol';

/** A batch of routed events as sent: `ints` and `times` are transferred (moved), not copied. */
export interface EncodedEvents {
  strings: string[];
  ints: Int32Array<ArrayBuffer>;
  times: Float64Array<ArrayBuffer>;
}

/** The fields ObservedEvent has; adding one there fails to compile here until it is sent too. */
const FIELDS = {
  eventId: 'string',
  eventTime: 'string',
  time: 'number',
  account: 'string',
  region: 'string',
  eventSource: 'string',
  eventName: 'string',
  action: 'string',
  principal: 'string',
  identityType: 'string',
  failed: 'boolean',
  errorCode: 'string',
  errorMessage: 'string',
  readOnly: 'boolean',
  sessionName: 'string',
  sourceIdentity: 'string',
  sourceIPAddress: 'string',
  userAgent: 'string',
  record: 'json',
} as const satisfies Record<keyof ObservedEvent, 'string' | 'number' | 'boolean' | 'json'>;

/**
 * FIELDS_READ_AFTER_DECODE flattened in pre-order: each field's name, its parent's entry (-1:
 * the record) and whether it is kept whole. The cut record travels field by field (strings in
 * the batch's dictionary): a session's identity repeats from event to event, and no JSON is
 * written or parsed for it.
 */
const CUT: { name: string; parent: number; whole: boolean }[] = [];
(function flatten(tree: FieldTree, parent: number): void {
  for (const name in tree) {
    const sub = tree[name]!;
    const k = CUT.push({ name, parent, whole: sub === true }) - 1;
    if (sub !== true) flatten(sub, k);
  }
})(FIELDS_READ_AFTER_DECODE, -1);
if (CUT.length > 31)
  throw new Error('eventCodec: FIELDS_READ_AFTER_DECODE has more fields than a mask holds');

/**
 * Reads the CUT fields of a record into `values` (by CUT entry; undefined where absent, and
 * under a parent that is not an object: null, an array, a string), as decodedFieldsOf reads
 * them. Compiled once from CUT, so that each field is a property read of its own name: read by
 * one keyed access whose name changed from field to field, the record took about half of
 * encoding an event.
 */
const readCut = ((): ((record: Record<string, unknown>, values: unknown[]) => void) => {
  const body = CUT.map((field, k) => {
    const name = JSON.stringify(field.name);
    const read =
      field.parent < 0
        ? `record[${name}]`
        : `o${field.parent} === undefined ? undefined : o${field.parent}[${name}]`;
    const object = field.whole
      ? ''
      : ` const o${k} = v${k} !== null && typeof v${k} === 'object' && !Array.isArray(v${k}) ? v${k} : undefined;`;
    return `const v${k} = ${read}; values[${k}] = v${k};${object}`;
  });
  return new Function('record', 'values', body.join('\n')) as (
    record: Record<string, unknown>,
    values: unknown[],
  ) => void;
})();

/**
 * Int32s an event: i, r, flags, the index in `strings` of each string field (the record's
 * place: RECORD), then the record: a mask of the fields sent as JSON, and one int per CUT field.
 */
const RECORD = 2 + Object.values(FIELDS).filter((t) => t === 'string' || t === 'json').length;
const STRIDE = RECORD + 1 + CUT.length;
/** A CUT field that is an object, its fields following (not a string index). */
const OBJECT = -2;
const FAILED = 1;
const READ_ONLY_SET = 2;
const READ_ONLY = 4;
/** An absent optional string. */
const NONE = -1;

/** An observed event received from another worker: its record is put back together when first read. */
export class ReceivedEvent implements ObservedEvent {
  // Declared, not defined: a field is set only when the sent event has it.
  declare eventId: string;
  declare eventTime: string;
  declare time: number;
  declare account: string;
  declare region: string;
  declare eventSource: string;
  declare eventName: string;
  declare action: string;
  declare principal: string;
  declare identityType: string;
  declare failed: boolean;
  declare errorCode?: string;
  declare errorMessage?: string;
  declare readOnly?: boolean;
  declare sessionName?: string;
  declare sourceIdentity?: string;
  declare sourceIPAddress?: string;
  declare userAgent?: string;
  readonly #strings: readonly string[];
  readonly #ints: Int32Array;
  readonly #o: number;
  #record: Record<string, unknown> | undefined;

  constructor(s: readonly string[], ints: Int32Array, o: number, time: number) {
    this.eventId = s[ints[o + 3]!]!;
    this.eventTime = s[ints[o + 4]!]!;
    this.time = time;
    this.account = s[ints[o + 5]!]!;
    this.region = s[ints[o + 6]!]!;
    this.eventSource = s[ints[o + 7]!]!;
    this.eventName = s[ints[o + 8]!]!;
    this.action = s[ints[o + 9]!]!;
    this.principal = s[ints[o + 10]!]!;
    this.identityType = s[ints[o + 11]!]!;
    const flags = ints[o + 2]!;
    this.failed = (flags & FAILED) !== 0;
    // Absent optional fields stay absent (not present as undefined), as on the sender's event.
    if (ints[o + 12]! !== NONE) this.errorCode = s[ints[o + 12]!]!;
    if (ints[o + 13]! !== NONE) this.errorMessage = s[ints[o + 13]!]!;
    if ((flags & READ_ONLY_SET) !== 0) this.readOnly = (flags & READ_ONLY) !== 0;
    if (ints[o + 14]! !== NONE) this.sessionName = s[ints[o + 14]!]!;
    if (ints[o + 15]! !== NONE) this.sourceIdentity = s[ints[o + 15]!]!;
    if (ints[o + 16]! !== NONE) this.sourceIPAddress = s[ints[o + 16]!]!;
    if (ints[o + 17]! !== NONE) this.userAgent = s[ints[o + 17]!]!;
    this.#strings = s;
    this.#ints = ints;
    this.#o = o;
  }

  get record(): Record<string, unknown> {
    this.#record ??= cutRecordOf(this.#strings, this.#ints, this.#o);
    return this.#record;
  }
}

/**
 * Encodes one batch of events for another worker as they are parsed, each record cut to
 * FIELDS_READ_AFTER_DECODE on the way: nothing of the event stays alive after `add`, so the
 * parsed records die young (keeping them until the batch was complete made the young
 * generation copy and promote them). `take` ends the batch; the encoder's arrays are reused.
 */
export class EventEncoder {
  private strings: string[] = [];
  private index = new Map<string, number>();
  private ints = new Int32Array(256 * STRIDE);
  private times = new Float64Array(256);
  private n = 0;
  /** The CUT fields of the record being encoded (readCut). */
  private readonly values: unknown[] = new Array(CUT.length).fill(undefined);

  private shared(s: string): number {
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.strings.push(s) - 1;
      this.index.set(s, k);
    }
    return k;
  }

  private optional(s: string | undefined): number {
    return s === undefined ? NONE : this.shared(s);
  }

  /** Events added so far to this batch. */
  get length(): number {
    return this.n;
  }

  add(i: number, r: number, e: ObservedEvent): void {
    if (this.n === this.times.length) {
      const ints = new Int32Array(this.ints.length * 2);
      ints.set(this.ints);
      this.ints = ints;
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
    }
    const { ints, strings } = this;
    const o = this.n * STRIDE;
    ints[o] = i;
    ints[o + 1] = r;
    ints[o + 2] =
      (e.failed ? FAILED : 0) | (e.readOnly === undefined ? 0 : READ_ONLY_SET | (e.readOnly ? READ_ONLY : 0));
    // eventID and eventTime are nearly always new: not worth a lookup.
    ints[o + 3] = strings.push(e.eventId) - 1;
    ints[o + 4] = strings.push(e.eventTime) - 1;
    ints[o + 5] = this.shared(e.account);
    ints[o + 6] = this.shared(e.region);
    ints[o + 7] = this.shared(e.eventSource);
    ints[o + 8] = this.shared(e.eventName);
    ints[o + 9] = this.shared(e.action);
    ints[o + 10] = this.shared(e.principal);
    ints[o + 11] = this.shared(e.identityType);
    ints[o + 12] = this.optional(e.errorCode);
    ints[o + 13] = this.optional(e.errorMessage);
    ints[o + 14] = this.optional(e.sessionName);
    ints[o + 15] = this.optional(e.sourceIdentity);
    ints[o + 16] = this.optional(e.sourceIPAddress);
    ints[o + 17] = this.optional(e.userAgent);
    // The record cut to FIELDS_READ_AFTER_DECODE, as decodedFieldsOf cuts it: a string as it
    // is, an object's fields in turn, anything else (null, numbers, arrays, a field kept whole
    // that is an object) as JSON.
    const values = this.values;
    readCut(e.record, values);
    let json = 0;
    for (let k = 0; k < CUT.length; k++) {
      const v = values[k];
      let slot = NONE;
      if (typeof v === 'string') slot = this.shared(v);
      else if (v !== undefined) {
        if (!CUT[k]!.whole && v !== null && typeof v === 'object' && !Array.isArray(v)) slot = OBJECT;
        else {
          slot = this.shared(JSON.stringify(v));
          json |= 1 << k;
        }
      }
      ints[o + RECORD + 1 + k] = slot;
    }
    ints[o + RECORD] = json;
    this.times[this.n] = e.time;
    this.n++;
  }

  /** The batch so far (its arrays sized to it, to be transferred); the encoder starts a new one. */
  take(): EncodedEvents {
    const batch: EncodedEvents = {
      strings: this.strings,
      ints: this.ints.slice(0, this.n * STRIDE),
      times: this.times.slice(0, this.n),
    };
    this.strings = [];
    this.index = new Map();
    this.n = 0;
    return batch;
  }
}

/** The cut record of the event at `o`, as decodedFieldsOf gave it to the sender. */
function cutRecordOf(s: readonly string[], ints: Int32Array, o: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const objects: Record<string, unknown>[] = new Array(CUT.length);
  const json = ints[o + RECORD]!;
  for (let k = 0; k < CUT.length; k++) {
    const slot = ints[o + RECORD + 1 + k]!;
    if (slot === NONE) continue;
    const field = CUT[k]!;
    const parent = field.parent < 0 ? record : objects[field.parent]!;
    if (slot === OBJECT) parent[field.name] = objects[k] = {};
    else parent[field.name] = (json & (1 << k)) !== 0 ? JSON.parse(s[slot]!) : s[slot]!;
  }
  return record;
}

/** Encodes events for another worker (EventEncoder, one batch). */
export function encodeEvents(events: readonly RoutedEvent[]): EncodedEvents {
  const encoder = new EventEncoder();
  for (const { i, r, e } of events) encoder.add(i, r, e);
  return encoder.take();
}

/** The events encodeEvents encoded, in the same order. */
export function decodeEvents({ strings, ints, times }: EncodedEvents): RoutedEvent[] {
  const events: RoutedEvent[] = new Array(times.length);
  for (let n = 0, o = 0; n < times.length; n++, o += STRIDE)
    events[n] = { i: ints[o]!, r: ints[o + 1]!, e: new ReceivedEvent(strings, ints, o, times[n]!) };
  return events;
}
