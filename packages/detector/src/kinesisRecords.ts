import type { KinesisStreamRecord } from 'aws-lambda';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes `kinesis.data` strictly. Node's base64 decoder silently skips characters outside the
 * alphabet, which would turn a corrupted record into different bytes; this returns undefined
 * for anything that is not canonical base64 instead.
 */
export function decodeBase64Strict(data: string): Buffer | undefined {
  if (data.length % 4 !== 0 || !BASE64.test(data)) return undefined;
  return Buffer.from(data, 'base64');
}

/** The shard of a record: Lambda's eventID is `<shardId>:<sequenceNumber>`. */
export function shardIdOf(record: KinesisStreamRecord): string {
  const id = record.eventID ?? '';
  const colon = id.lastIndexOf(':');
  return colon > 0 ? id.slice(0, colon) : 'unknown-shard';
}

/** Orders Kinesis sequence numbers (decimal strings of up to 128 bits). */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length && /^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = a.replace(/^0+/, '');
    const y = b.replace(/^0+/, '');
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
