import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { toEventBridgeEnvelope } from '@firstseen/core';
import type { CloudTrailRecord } from './types';

export interface NdjsonOptions {
  /** Wrap each record in its EventBridge envelope (default: bare records). */
  envelope?: boolean;
  /** Called every `progressEvery` records (default 10,000) with the count so far. */
  onProgress?: (records: number) => void;
  progressEvery?: number;
}

/** One NDJSON line (with its newline) for a record, bare or in its EventBridge envelope. */
export function toNdjsonLine(record: CloudTrailRecord, envelope = false): string {
  return JSON.stringify(envelope ? toEventBridgeEnvelope(record) : record) + '\n';
}

/** Writes records to `file`, one JSON document per line, honouring stream back-pressure. */
export async function writeNdjson(
  records: Iterable<CloudTrailRecord>,
  file: string,
  options: NdjsonOptions = {},
): Promise<number> {
  const out = createWriteStream(file);
  const every = options.progressEvery ?? 10_000;
  let n = 0;
  try {
    for (const r of records) {
      if (!out.write(toNdjsonLine(r, options.envelope))) await once(out, 'drain');
      n++;
      if (options.onProgress && n % every === 0) options.onProgress(n);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return n;
}
