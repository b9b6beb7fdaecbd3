import { gunzipSync } from 'node:zlib';
import { classifyRecord, DEFAULT_MAX_BYTES, type DecodeOptions, invalid } from './classifyRecord';
import { asObject, jsonKind } from './recordFields';
import { CloudWatchLogsPayloadSchema } from './schemas';
import type { Decoded } from './types';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; detail: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // V8's message quotes the input; the detail must never carry the record, so say only where.
    return { ok: false, detail: `not valid JSON (${text.length} characters)` };
  }
}

/** Unwraps a parsed value into the records it holds, and classifies each. */
function classifyValue(value: unknown, options: DecodeOptions | undefined): Decoded[] {
  const object = asObject(value);
  if (object === undefined) return [classifyRecord(value, options)];

  // A CloudTrail log file in S3, or a hand-made batch.
  if (Array.isArray(object.Records)) return object.Records.map((r) => classifyRecord(r, options));

  // A CloudWatch Logs subscription payload: one CloudTrail record per log event's message.
  if (
    typeof object.messageType === 'string' &&
    ('logEvents' in object || object.messageType === 'CONTROL_MESSAGE')
  ) {
    if (object.messageType === 'CONTROL_MESSAGE') return [];
    const payload = CloudWatchLogsPayloadSchema.safeParse(object);
    if (!payload.success || payload.data.logEvents === undefined) {
      return [invalid('not-object', 'CloudWatch Logs payload whose logEvents is not an array of objects')];
    }
    return payload.data.logEvents.map((logEvent, i) => {
      if (typeof logEvent.message !== 'string') {
        return invalid('bad-json', `logEvents[${i}].message is ${jsonKind(logEvent.message)}, not a string`);
      }
      const parsed = parseJson(logEvent.message);
      if (!parsed.ok) return invalid('bad-json', `logEvents[${i}].message is ${parsed.detail}`);
      return classifyRecord(parsed.value, options);
    });
  }

  return [classifyRecord(object, options)];
}

/**
 * Decodes one Kinesis record's data (docs/semantics.md "Input"): UTF-8 JSON, optionally gzip (detected
 * by the magic bytes 1f 8b), holding an EventBridge envelope, a bare CloudTrail record, a
 * CloudWatch Logs subscription payload or a `{"Records": [...]}` file. Returns one Decoded per
 * CloudTrail record found (none for a CloudWatch Logs control message). Never throws for bad
 * input: every problem is an `invalid` outcome with a reason and a short detail.
 */
export function decodeRecord(data: Uint8Array | string, options?: DecodeOptions): Decoded[] {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  let text: string;
  if (typeof data === 'string') {
    const size = Buffer.byteLength(data, 'utf8');
    if (size > maxBytes) return [invalid('too-large', `${size} bytes, limit ${maxBytes}`)];
    text = data;
  } else {
    if (data.byteLength > maxBytes)
      return [invalid('too-large', `${data.byteLength} bytes, limit ${maxBytes}`)];
    let bytes = data;
    if (isGzip(bytes)) {
      try {
        // maxOutputLength stops a gzip bomb before it is inflated in full.
        bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
          return [invalid('too-large', `gunzipped data exceeds ${maxBytes} bytes`)];
        }
        return [invalid('bad-gzip', `gunzip failed: ${(err as { code?: unknown }).code ?? 'error'}`)];
      }
    }
    try {
      text = utf8.decode(bytes);
    } catch {
      return [invalid('bad-encoding', 'data is not valid UTF-8')];
    }
  }
  // JSON.parse inline rather than through parseJson: no result wrapper per record.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [invalid('bad-json', `not valid JSON (${text.length} characters)`)];
  }
  return classifyValue(value, options);
}
