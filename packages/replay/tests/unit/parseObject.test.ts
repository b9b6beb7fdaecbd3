import { gzipSync } from 'node:zlib';
import { BadObjectError, parseObject } from '../../src';

const record = { eventID: 'e1', eventTime: '2024-01-01T00:00:00Z' };
const envelope = { 'detail-type': 'AWS API Call via CloudTrail', detail: { eventID: 'e2' } };

describe('parseObject()', () => {
  it('gives the Records of a gzipped CloudTrail file', () => {
    const values = parseObject('k', gzipSync(JSON.stringify({ Records: [record, record] })));
    expect(values).toEqual([
      { ok: true, value: record },
      { ok: true, value: record },
    ]);
  });

  it('decodes each NDJSON line on its own, mixing records and envelopes, a bad line staying one value', () => {
    const text = `${JSON.stringify(record)}\n\n{not json\n${JSON.stringify(envelope)}\n`;
    const values = parseObject('k', Buffer.from(text));
    expect(values.map((v) => v.ok)).toEqual([true, false, true]);
    expect(values[2]).toEqual({ ok: true, value: envelope });
  });

  it('throws BadObjectError bad-gzip for a truncated gzip', () => {
    const truncated = gzipSync(JSON.stringify({ Records: [record] })).subarray(0, 20);
    expect(() => parseObject('logs/x.json.gz', truncated)).toThrow(BadObjectError);
    expect(() => parseObject('logs/x.json.gz', truncated)).toThrow('logs/x.json.gz: bad-gzip');
  });

  it('throws BadObjectError not-json for a file of which no line is JSON', () => {
    expect(() => parseObject('x.json', Buffer.from('<html>\n</html>\n'))).toThrow('x.json: not-json');
  });

  it('gives nothing for an empty file', () => {
    expect(parseObject('x.json', Buffer.alloc(0))).toEqual([]);
  });
  it('gunzips a file larger than one default zlib chunk, and one of several gzip members', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ ...record, eventID: `e${i}`, pad: 'x'.repeat(i) }));
    const whole = Buffer.from(JSON.stringify({ Records: many }));
    expect(whole.length).toBeGreaterThan(64 * 1024);
    expect(parseObject('k', gzipSync(whole))).toEqual(many.map((value) => ({ ok: true, value })));
    // Two members: the trailer holds only the last member's (small) size.
    const lines = many.map((r) => JSON.stringify(r)).join('\n');
    const members = Buffer.concat([gzipSync(`${lines}\n`), gzipSync(JSON.stringify(envelope))]);
    const values = parseObject('k', members);
    expect(values).toHaveLength(401);
    expect(values[400]).toEqual({ ok: true, value: envelope });
  });
});
