import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared real-CloudTrail corpus (`shared/data/cloudtrail`), which sits next to the repo
 * (`<repo>/../shared`), wherever the repo is cloned. FIRSTSEEN_CORPUS_DIR overrides it.
 */
const repoRoot = path.resolve(__dirname, '../../../..');

export function corpusDir(): string {
  const candidates = [
    process.env.FIRSTSEEN_CORPUS_DIR,
    path.resolve(__dirname, '../../../../../shared/data/cloudtrail'),
    path.join(repoRoot, '../shared/data/cloudtrail'),
    path.join(repoRoot, 'shared/data/cloudtrail'),
  ].filter((c): c is string => typeof c === 'string' && c.length > 0);
  for (const dir of candidates) {
    if (existsSync(path.join(dir, 'SOURCES.md'))) return dir;
  }
  throw new Error(
    `CloudTrail corpus not found; looked in ${candidates.join(', ')}. ` +
      'Clone the shared data next to the repository (../shared/data/cloudtrail) or set FIRSTSEEN_CORPUS_DIR.',
  );
}

/** The `.ndjson` files of the corpus, sorted. */
export function corpusFiles(): string[] {
  return readdirSync(corpusDir())
    .filter((n) => n.endsWith('.ndjson'))
    .sort();
}

/** The lines of a corpus file (1-based line n is lines[n - 1]); blank lines kept for numbering. */
const linesByFile = new Map<string, string[]>();

export function corpusLines(file: string): string[] {
  let lines = linesByFile.get(file);
  if (lines === undefined) {
    lines = readFileSync(path.join(corpusDir(), file), 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    linesByFile.set(file, lines);
  }
  return lines;
}

/** The CloudTrail record on a line of a corpus file (an envelope's `detail` for EventBridge files). */
export function corpusRecord(file: string, line: number): Record<string, unknown> {
  const text = corpusLines(file)[line - 1];
  if (text === undefined) throw new Error(`${file} has no line ${line}`);
  const value = JSON.parse(text) as Record<string, unknown>;
  return 'detail-type' in value ? (value.detail as Record<string, unknown>) : value;
}

/** A fixture from tests/events. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(__dirname, '../events', name), 'utf8')) as Record<string, unknown>;
}
