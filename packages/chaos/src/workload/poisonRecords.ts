import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DEFAULT_MAX_BYTES } from '@firstseen/core';

/** The kinds of invalid record (DESIGN.md "Input") the scenario injects, in rotation. */
export const POISON_KINDS = [
  'bad-utf8',
  'bad-gzip',
  'bad-json',
  'not-object',
  'missing-eventTime',
  'bad-eventTime',
  'impossible-date',
  'oversized',
] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];

export interface PoisonRecord {
  kind: PoisonKind;
  data: Buffer;
  /** sha256 of the data: poison records are counted by content. */
  digest: string;
}

export function digestOf(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * One invalid record of `kind`, made unique by `n` (so that distinct poison records never share
 * content), built from a valid CloudTrail `template` where the kind needs one.
 */
export function poisonRecord(kind: PoisonKind, n: number, template: Record<string, unknown>): PoisonRecord {
  const base: Record<string, unknown> = {
    ...template,
    eventID: `poison-${n}-${String(template.eventID ?? '')}`,
  };
  let data: Buffer;
  switch (kind) {
    case 'bad-utf8':
      // A lone continuation byte and an overlong encoding: not UTF-8.
      data = Buffer.concat([
        Buffer.from(`{"eventID":"poison-${n}","x":"`),
        Buffer.from([0xc0, 0xaf, 0x80, 0xff]),
        Buffer.from('"}'),
      ]);
      break;
    case 'bad-gzip':
      // The gzip magic number followed by a truncated, corrupt stream.
      data = Buffer.concat([
        gzipSync(Buffer.from(JSON.stringify(base))).subarray(0, 12),
        Buffer.from(`poison-${n}`),
      ]);
      break;
    case 'bad-json':
      data = Buffer.from(`${JSON.stringify(base).slice(0, -1)},"poison":${n},`);
      break;
    case 'not-object':
      data = Buffer.from(JSON.stringify([`poison-${n}`, base]));
      break;
    case 'missing-eventTime': {
      const { eventTime: _dropped, ...rest } = base;
      data = Buffer.from(JSON.stringify(rest));
      break;
    }
    case 'bad-eventTime':
      data = Buffer.from(
        JSON.stringify({ ...base, eventTime: `2024-06-01 10:00:${String(n % 60).padStart(2, '0')}` }),
      );
      break;
    case 'impossible-date':
      data = Buffer.from(
        JSON.stringify({ ...base, eventTime: `2024-02-30T10:00:${String(n % 60).padStart(2, '0')}Z` }),
      );
      break;
    case 'oversized':
      // Valid JSON once unzipped, but over the 1 MiB bound: a small gzip bomb.
      data = gzipSync(
        Buffer.from(JSON.stringify({ ...base, padding: ' '.repeat(DEFAULT_MAX_BYTES + 1024) })),
      );
      break;
  }
  return { kind, data, digest: digestOf(data) };
}
