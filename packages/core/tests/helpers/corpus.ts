import { readFileSync } from 'node:fs';
import path from 'node:path';

export { corpusFiles, corpusLines, corpusRecord } from '@firstseen/test-support';

/** A fixture from tests/events. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(__dirname, '../events', name), 'utf8')) as Record<string, unknown>;
}
