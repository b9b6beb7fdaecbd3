/**
 * How simulate's workers send each other events (replayPart.ts): as two typed arrays, moved
 * rather than copied, and one list of the batch's distinct strings. A structured clone of the
 * event objects cost about 3 µs an event to write and 4-5 µs to read back; this costs about as
 * much to write (most of it the record's JSON) and a tenth to read, because
 * - the strings a batch repeats (account, region, action, principal, user agent, ...) are sent
 *   once, and read back once, for the whole batch;
 * - the record (already cut to FIELDS_READ_AFTER_DECODE) travels as its JSON text and is parsed
 *   only if something reads it: an IAM change, the resource level's bucket, an alert's evidence.
 *   Most events are never read that far.
 * Every event the receiver processes is a ReceivedEvent, one shape for the engine's code.
 */
import { decodedFieldsOf, type ObservedEvent } from '@firstseen/core';
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

/** Int32s an event: i, r, flags, then the index in `strings` of each string field and the record. */
const STRIDE = 3 + Object.values(FIELDS).filter((t) => t === 'string' || t === 'json').length;
const FAILED = 1;
const READ_ONLY_SET = 2;
const READ_ONLY = 4;
/** An absent optional string. */
const NONE = -1;

/** An observed event received from another worker: its record is parsed when first read. */
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
  #recordJson: string;
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
    this.#recordJson = s[ints[o + 18]!]!;
  }

  get record(): Record<string, unknown> {
    this.#record ??= JSON.parse(this.#recordJson) as Record<string, unknown>;
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
    ints[o + 18] = this.shared(JSON.stringify(decodedFieldsOf(e.record)));
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
