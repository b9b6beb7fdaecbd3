import { gunzipSync } from 'node:zlib';
import { BadObjectError } from './errors';
import { failedBatchRecords, isOnFailureRecord } from './failedBatch';

/** One JSON value of a file, with the problem when its line did not parse. */
export type FileValue = { ok: true; value: unknown } | { ok: false; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const MIN_CHUNK = 16 * 1024; // zlib's default
const MAX_CHUNK = 16 * 1024 * 1024;

/**
 * An output chunk that holds the whole file in one piece: gzip's trailer ends with the
 * uncompressed size (mod 2^32), and the default 16 KiB chunks cost a copy and a concatenation per
 * larger file. A wrong trailer (corrupt or multi-member file) only means more chunks.
 */
function gunzipChunkSize(bytes: Uint8Array): number {
  const n = bytes.length;
  if (n < 18) return MIN_CHUNK;
  const size = (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
  // Room beyond the data, so that zlib sees the end of the stream without a second chunk.
  return Math.min(Math.max(size + 64, MIN_CHUNK), MAX_CHUNK);
}

/**
 * The records of one file: a Lambda on-failure record (the failure bucket) gives the decoded
 * records of its failed batch; `{"Records":[...]}` gives its elements; otherwise NDJSON, one value
 * per non-blank line, each line parsed on its own (a file may mix bare records and EventBridge
 * envelopes, and one bad line is one invalid record). gzip is recognised by its magic bytes.
 *
 * Throws BadObjectError for a corrupt or truncated gzip, bytes that are not UTF-8, or a file of
 * which not one line is JSON.
 */
export function parseObject(key: string, data: Uint8Array): FileValue[] {
  let bytes = data;
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes, { chunkSize: gunzipChunkSize(bytes) });
    } catch (err) {
      throw new BadObjectError(
        key,
        'bad-gzip',
        `gunzip failed (${(err as { code?: string }).code ?? 'error'})`,
        {
          cause: err,
        },
      );
    }
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (err) {
    throw new BadObjectError(key, 'bad-encoding', 'not UTF-8', { cause: err });
  }
  if (text.trim() === '') return [];

  const whole = tryParse(text);
  if (whole !== undefined && isOnFailureRecord(whole.value)) {
    // A failed batch from the failure bucket: its records are the stream's, base64 inside.
    const batch = failedBatchRecords(whole.value);
    if (!batch.ok) throw new BadObjectError(key, batch.reason, batch.detail);
    return batch.values;
  }
  if (whole !== undefined) {
    const records = (whole.value as { Records?: unknown } | null)?.Records;
    if (Array.isArray(records)) return records.map((value) => ({ ok: true, value }));
    if (Array.isArray(whole.value)) return whole.value.map((value) => ({ ok: true, value }));
    // One value, possibly pretty-printed over many lines.
    return [{ ok: true, value: whole.value }];
  }

  const values: FileValue[] = [];
  let parsedAny = false;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const parsed = tryParse(line);
    if (parsed === undefined) {
      values.push({ ok: false, detail: `line ${i + 1} is not valid JSON (${line.length} characters)` });
    } else {
      parsedAny = true;
      values.push({ ok: true, value: parsed.value });
    }
  }
  if (!parsedAny) throw new BadObjectError(key, 'not-json', 'no line of the file is JSON');
  return values;
}

function tryParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
