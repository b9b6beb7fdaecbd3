import { readFile } from 'node:fs/promises';
import { LocalStackError } from './errors';

/**
 * Events from a file for `npm run send`: NDJSON (one record or envelope per line), a JSON
 * array, a single JSON object, or a CloudTrail log file's `{"Records": [...]}`.
 */
export async function readEventFile(path: string): Promise<Record<string, unknown>[]> {
  const text = (await readFile(path, 'utf8')).trim();
  if (text === '') return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed)) return parsed as Record<string, unknown>[];
    const records = (parsed as { Records?: unknown }).Records;
    if (Array.isArray(records)) return records as Record<string, unknown>[];
    return [parsed as Record<string, unknown>];
  } catch {
    // Not one JSON document: NDJSON.
  }
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch (err) {
      throw new LocalStackError(`${path}:${i + 1}: not JSON`, { cause: err });
    }
  });
}
