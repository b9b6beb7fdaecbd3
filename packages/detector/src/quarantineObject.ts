import type { QuarantineItem } from './types';

/** Text of the data is kept beside its base64 form when it is valid UTF-8 and at most this long. */
const MAX_TEXT_BYTES = 256 * 1024;

/** The S3 key of a quarantined record: `<prefix>YYYY/MM/DD/<shard>/<sequence>.json` (arrival date, UTC). */
export function quarantineKey(item: QuarantineItem, prefix = 'quarantine/'): string {
  const d = new Date(Math.floor(item.approximateArrivalTimestamp * 1000));
  const day = Number.isNaN(d.getTime())
    ? 'unknown-date'
    : `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  return `${prefix}${day}/${safe(item.shardId)}/${safe(item.sequenceNumber)}.json`;
}

/**
 * The quarantine object's JSON body. `data` holds the record's bytes in base64 (lossless), or,
 * when Lambda's `kinesis.data` was not valid base64, that string verbatim (`dataEncoding`
 * says which); `text` repeats small UTF-8 data as text for a human triaging it.
 */
export function quarantineBody(item: QuarantineItem): string {
  const body: Record<string, unknown> = {
    reason: item.reason,
    detail: item.detail,
    outcomes: item.outcomes,
    shardId: item.shardId,
    sequenceNumber: item.sequenceNumber,
    partitionKey: item.partitionKey,
    approximateArrivalTimestamp: item.approximateArrivalTimestamp,
    eventSourceARN: item.eventSourceARN,
  };
  if (typeof item.data === 'string') {
    body.dataEncoding = 'verbatim';
    body.data = item.data;
  } else {
    const bytes = Buffer.from(item.data.buffer, item.data.byteOffset, item.data.byteLength);
    body.dataEncoding = 'base64';
    body.data = bytes.toString('base64');
    body.dataBytes = bytes.length;
    if (bytes.length <= MAX_TEXT_BYTES) {
      const text = utf8(bytes);
      if (text !== undefined) body.text = text;
    }
  }
  return JSON.stringify(body);
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
}
