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
 * them. Compiled once from CUT, so that each field is a property read of its own name rather
 * than one keyed read whose name changes from field to field: encoding an event of the bench's
 * trail took 1.47 µs instead of 1.60 (the record is a bit under half of it, the strings'
 * dictionary lookups over half).
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
    // Every optional field set, undefined where the sender's event had none: one shape for every
    // event, as classifyRecord gives them (core), so that the code reading them stays compiled.
    this.errorCode = ints[o + 12]! !== NONE ? s[ints[o + 12]!]! : undefined;
    this.errorMessage = ints[o + 13]! !== NONE ? s[ints[o + 13]!]! : undefined;
    this.readOnly = (flags & READ_ONLY_SET) !== 0 ? (flags & READ_ONLY) !== 0 : undefined;
    this.sessionName = ints[o + 14]! !== NONE ? s[ints[o + 14]!]! : undefined;
    this.sourceIdentity = ints[o + 15]! !== NONE ? s[ints[o + 15]!]! : undefined;
    this.sourceIPAddress = ints[o + 16]! !== NONE ? s[ints[o + 16]!]! : undefined;
    this.userAgent = ints[o + 17]! !== NONE ? s[ints[o + 17]!]! : undefined;
    this.#strings = s;
    this.#ints = ints;
    this.#o = o;
  }

  get record(): Record<string, unknown> {
    this.#record ??= cutRecordOf(this.#strings, this.#ints, this.#o);
    return this.#record;
  }
}

/** Places a lookup in StringTable tries before it adds the string again. */
const PROBES = 16;

/** Strings up to this long go in a Map (V8 hashes a short string faster than placeOf would). */
const WHOLE = 24;

/**
 * Where StringTable first looks for a string longer than WHOLE: a hash of its length and of
 * eight of its characters (the first, the last two, and five spread between). Not hashing
 * every character is what saves the time: a user agent has about 150.
 */
function placeOf(s: string): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1);
  h = Math.imul(h ^ s.charCodeAt(0), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n >> 3), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n >> 2), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n >> 1), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt((3 * n) >> 2), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n - 1 - (n >> 3)), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n - 2), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n - 1), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * A batch's distinct strings: `index(s)` is the index of a string equal to s, s added when there
 * is none. Most strings looked up come fresh from JSON.parse, and a Map hashes every character
 * of a string it has not seen (a user agent has about 150): this table places a string longer
 * than WHOLE by eight of its characters (placeOf) and compares whole strings only there. Strings that share
 * places (an attacker's user agents that differ only between those characters, say) are
 * searched PROBES places deep at most; past that the string is added again: finding a string
 * saves bytes, it never changes what the batch says.
 */
export class StringTable {
  strings: string[] = [];
  private keys: (string | undefined)[] = new Array(1024).fill(undefined);
  private values = new Int32Array(1024);
  private used = 0;
  /** Places looked at by index(), over the table's life (tests: never more than PROBES a lookup). */
  probes = 0;

  /** The strings of at most WHOLE characters. */
  private short = new Map<string, number>();

  index(s: string): number {
    if (s.length <= WHOLE) {
      let k = this.short.get(s);
      if (k === undefined) {
        k = this.strings.push(s) - 1;
        this.short.set(s, k);
      }
      return k;
    }
    const mask = this.keys.length - 1;
    let h = placeOf(s);
    for (let p = 0; p < PROBES; p++, h++) {
      h &= mask;
      this.probes++;
      const key = this.keys[h];
      if (key === undefined) {
        const k = this.strings.push(s) - 1;
        this.keys[h] = s;
        this.values[h] = k;
        if (++this.used * 4 > this.keys.length) this.grow();
        return k;
      }
      if (key === s) return this.values[h]!;
    }
    return this.strings.push(s) - 1;
  }

  /** Adds s without looking for it (a string no other equals: an eventID, an eventTime). */
  append(s: string): number {
    return this.strings.push(s) - 1;
  }

  /** The batch's strings; the table starts the next batch empty. */
  take(): string[] {
    const strings = this.strings;
    this.strings = [];
    this.short = new Map();
    if (this.used > 0) this.keys.fill(undefined);
    this.used = 0;
    return strings;
  }

  /** Twice the places, each string placed again (one that finds no place is only not found again). */
  private grow(): void {
    const { keys, values } = this;
    this.keys = new Array(keys.length * 2).fill(undefined);
    this.values = new Int32Array(keys.length * 2);
    this.used = 0;
    const mask = this.keys.length - 1;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === undefined) continue;
      let h = placeOf(key);
      for (let p = 0; p < PROBES; p++, h++) {
        h &= mask;
        if (this.keys[h] === undefined) {
          this.keys[h] = key;
          this.values[h] = values[i]!;
          this.used++;
          break;
        }
      }
    }
  }
}

/**
 * Encodes one batch of events for another worker as they are parsed, each record cut to
 * FIELDS_READ_AFTER_DECODE on the way: nothing of the event stays alive after `add`, so the
 * parsed records die young (keeping them until the batch was complete made the young
 * generation copy and promote them). `take` ends the batch; the encoder's arrays are reused.
 */
export class EventEncoder {
  private readonly table = new StringTable();
  private ints = new Int32Array(256 * STRIDE);
  private times = new Float64Array(256);
  private n = 0;
  /** The CUT fields of the record being encoded (readCut). */
  private readonly values: unknown[] = new Array(CUT.length).fill(undefined);

  private optional(s: string | undefined): number {
    return s === undefined ? NONE : this.table.index(s);
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
    const { ints, table } = this;
    const o = this.n * STRIDE;
    ints[o] = i;
    ints[o + 1] = r;
    ints[o + 2] =
      (e.failed ? FAILED : 0) | (e.readOnly === undefined ? 0 : READ_ONLY_SET | (e.readOnly ? READ_ONLY : 0));
    // eventID and eventTime are nearly always new: not worth a lookup.
    ints[o + 3] = table.append(e.eventId);
    ints[o + 4] = table.append(e.eventTime);
    ints[o + 5] = table.index(e.account);
    ints[o + 6] = table.index(e.region);
    ints[o + 7] = table.index(e.eventSource);
    ints[o + 8] = table.index(e.eventName);
    ints[o + 9] = table.index(e.action);
    ints[o + 10] = table.index(e.principal);
    ints[o + 11] = table.index(e.identityType);
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
      if (typeof v === 'string') slot = table.index(v);
      else if (v !== undefined) {
        if (!CUT[k]!.whole && v !== null && typeof v === 'object' && !Array.isArray(v)) slot = OBJECT;
        else {
          slot = table.index(JSON.stringify(v));
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
      strings: this.table.take(),
      ints: this.ints.slice(0, this.n * STRIDE),
      times: this.times.slice(0, this.n),
    };
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
