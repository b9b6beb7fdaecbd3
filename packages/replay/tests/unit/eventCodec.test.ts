/**
 * Simulate's workers send each other events through eventCodec.ts (typed arrays, the batch's
 * distinct strings once, the record field by field, put back together when read). What arrives
 * must be the event that was sent: every field (an optional one the record lacks undefined),
 * the record as decodedFieldsOf cuts it, for the whole real corpus, for hostile strings and for
 * records of any shape; and detection over received events must give the alerts, evidence and
 * explanations of the events themselves.
 */
import { deserialize, serialize } from 'node:v8';
import { decodedFieldsOf, type ObservedEvent, withDecodedFieldsOnly } from '@firstseen/core';
import {
  decodeEvents,
  type EncodedEvents,
  EventEncoder,
  encodeEvents,
  ReceivedEvent,
  StringTable,
} from '../../src/parallel/eventCodec';
import type { RoutedEvent } from '../../src/parallel/protocol';
import { alertsOf, observedCorpus } from '../helpers/corpusAlerts';

/**
 * Sent as a worker sends them: batch after batch from one EventEncoder (its arrays reused and
 * grown: a batch of 300 outgrows the first 256), each message through V8's serializer.
 */
function send(events: ObservedEvent[], batch = 300): ObservedEvent[] {
  const out: ObservedEvent[] = [];
  const encoder = new EventEncoder();
  for (let start = 0; start < events.length; start += batch) {
    events.slice(start, start + batch).forEach((e, k) => {
      encoder.add(start, k, e);
    });
    expect(encoder.length).toBe(Math.min(batch, events.length - start));
    const received = decodeEvents(deserialize(serialize(encoder.take())) as EncodedEvents);
    received.forEach(({ i, r }, k) => {
      expect([i, r]).toEqual([start, k]);
    });
    out.push(...received.map(({ e }) => e));
  }
  return out;
}

/** The event's own fields and its record, as plain data. */
function plain(e: ObservedEvent): Record<string, unknown> {
  return { ...e, record: e.record };
}

describe('eventCodec (events between simulate workers)', () => {
  const events = observedCorpus().map(withDecodedFieldsOnly);

  it('delivers every event of the corpus as it was sent', () => {
    const received = send(events);
    expect(received).toHaveLength(events.length);
    for (let k = 0; k < events.length; k++) {
      const sent = events[k]!;
      const got = received[k]!;
      expect(plain(got)).toStrictEqual(plain(sent));
      // The sent event's fields and no other (an optional one the record lacks is there,
      // undefined, as classifyRecord sets it); the record is read through a getter (put back
      // together when first read).
      expect(Object.keys(got).sort()).toEqual(
        Object.keys(sent)
          .filter((k) => k !== 'record')
          .sort(),
      );
    }
  });

  it('sends each record cut to what detection reads (the whole event given)', () => {
    const whole = observedCorpus();
    const received = send(whole);
    expect(received.map(plain)).toStrictEqual(events.map(plain));
    // The cut leaves out something in most records: what a worker need not copy.
    const cut = whole.filter((e, k) => JSON.stringify(e.record) !== JSON.stringify(received[k]!.record));
    expect(cut.length).toBeGreaterThan(whole.length / 2);
  });

  it('gives the same alerts, evidence and explanations as the events themselves', async () => {
    const direct = await alertsOf(events);
    expect(direct.length).toBeGreaterThan(100);
    expect(await alertsOf(send(events))).toEqual(direct);
  });

  it('carries hostile strings and values exactly', () => {
    const hostile: ObservedEvent = {
      eventId: '\u0000id\ud800',
      eventTime: '2024-01-01T00:00:00Z',
      time: Date.parse('2024-01-01T00:00:00Z'),
      account: '111122223333',
      region: 'us-east-1\n',
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachRolePolicy',
      action: 'iam.amazonaws.com:AttachRolePolicy',
      principal: 'role/𝓮𝓿𝓲𝓵"\\',
      identityType: 'AssumedRole',
      failed: true,
      errorCode: 'AccessDenied',
      errorMessage: '</script><b>x</b>',
      readOnly: false,
      sessionName: '',
      // Every optional field present, as classifyRecord makes every event (one shape).
      sourceIdentity: undefined,
      sourceIPAddress: undefined,
      userAgent: `${'x'.repeat(100_000)}\ud83d`,
      record: JSON.parse(
        '{"requestParameters":{"__proto__":{"polluted":true},"roleName":"a\\u2028b","n":-1.5e300,"list":[null,{"k":[]}]},"eventSource":"iam.amazonaws.com"}',
      ) as Record<string, unknown>,
    };
    const [got] = send([hostile, events[0]!]);
    // The long user agent apart (a failure would print it whole).
    expect(got!.userAgent === hostile.userAgent).toBe(true);
    expect({ ...plain(got!), userAgent: '' }).toStrictEqual({ ...plain(hostile), userAgent: '' });
    expect(Object.keys(got!.record['requestParameters'] as object)).toContain('__proto__');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(got!.readOnly).toBe(false);
    expect(got!.sourceIdentity).toBeUndefined();
  });

  it('cuts records of any shape as decodedFieldsOf cuts them', () => {
    const shapes: unknown[] = [
      { userIdentity: 'a string', additionalEventData: null, eventType: 7 },
      { userIdentity: { sessionContext: [{ attributes: 1 }], invokedBy: false, accessKeyId: { k: 'v' } } },
      { userIdentity: { sessionContext: { attributes: { mfaAuthenticated: true }, sessionIssuer: {} } } },
      { userIdentity: {}, additionalEventData: { MFAUsed: ['Yes'] }, requestParameters: 'text' },
      {
        requestParameters: JSON.parse('{"__proto__":{"polluted":true},"list":[null,1.5]}'),
        eventSource: null,
      },
      { userIdentity: { sessionContext: { webIdFederationData: { federatedProvider: '\ud800' } } } },
      {},
    ];
    const sent = shapes.map(
      (record, k): ObservedEvent => ({ ...events[k]!, record: record as Record<string, unknown> }),
    );
    const received = send(sent);
    received.forEach((got, k) => {
      const want = decodedFieldsOf(sent[k]!.record);
      expect(got.record).toStrictEqual(want);
      // The same fields in the same order (what an alert's JSON shows).
      expect(JSON.stringify(got.record)).toBe(JSON.stringify(want));
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('puts a record back together only when something reads it', () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const routed: RoutedEvent[] = events.slice(0, 40).map((e, k) => ({ i: 0, r: k, e }));
      const received = decodeEvents(deserialize(serialize(encodeEvents(routed))) as EncodedEvents);
      for (const { e } of received) expect(e.principal).not.toBe('');
      expect(parse).not.toHaveBeenCalled();
      const first = received[0]!.e;
      expect(first).toBeInstanceOf(ReceivedEvent);
      expect(first.record).toEqual(events[0]!.record);
      expect(first.record).toBe(first.record);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('sends the strings a batch repeats once', () => {
    const routed: RoutedEvent[] = events.slice(0, 200).map((e, k) => ({ i: 0, r: k, e }));
    const encoded = encodeEvents(routed);
    const distinct = new Set(routed.map(({ e }) => e.principal));
    expect(encoded.strings.filter((s) => distinct.has(s))).toHaveLength(distinct.size);
  });
});

describe('StringTable (the distinct strings of a batch)', () => {
  it('gives equal strings one index and distinct strings their own, across its growth', () => {
    // Every string field of the recorded corpus's events, once each (thousands: the table grows).
    const words = [
      ...new Set(
        observedCorpus().flatMap((e) =>
          Object.values({ ...e, record: undefined }).filter((v): v is string => typeof v === 'string'),
        ),
      ),
    ];
    expect(words.length).toBeGreaterThan(1024);
    const table = new StringTable();
    const first = words.map((w) => table.index(w));
    expect(new Set(first).size).toBe(words.length);
    // Equal strings built apart (not the same string object) find the first index.
    expect(words.map((w) => table.index(`${w.slice(0, 1)}${w.slice(1)}`))).toEqual(first);
    expect(table.strings).toEqual(words);
    expect(table.index('')).toBe(words.length);
    expect(table.index('')).toBe(words.length);
  });

  it('starts each batch empty', () => {
    const table = new StringTable();
    const long = `arn:aws:iam::111122223333:role/${'x'.repeat(40)}`;
    table.index('a');
    table.index(long);
    table.index('b');
    expect(table.take()).toEqual(['a', long, 'b']);
    expect(table.index('b')).toBe(0);
    expect(table.index(long)).toBe(1);
    expect(table.take()).toEqual(['b', long]);
  });

  it('looks at PROBES places at most, however many strings share a place (hostile user agents)', () => {
    const table = new StringTable();
    // 150 characters, the same but for the 12th, which placeOf does not read: all in one place.
    const base = 'Mozilla/5.0 '.padEnd(150, 'a');
    const hostile = Array.from(
      { length: 3000 },
      (_, k) => `${base.slice(0, 11)}${String.fromCharCode(0x4e00 + k)}${base.slice(12)}`,
    );
    let lookups = 0;
    for (const s of hostile) {
      const k = table.index(s);
      lookups++;
      // Whatever the table found or added, the index names this string.
      expect(table.strings[k]).toBe(s);
    }
    for (const s of hostile.slice(0, 100)) expect(table.strings[table.index(s)]).toBe(s);
    lookups += 100;
    expect(table.probes).toBeLessThanOrEqual(16 * lookups);
  });
});
