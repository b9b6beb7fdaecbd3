import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The real CloudTrail corpus kept in this package (`data/cloudtrail`, sources and licences in
 * its SOURCES.md): records written by AWS or public projects, one JSON value per line.
 */
export const CORPUS_DIR = path.resolve(__dirname, '../data/cloudtrail');

/** The `.ndjson` files of the corpus, sorted. */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((n) => n.endsWith('.ndjson'))
    .sort();
}

const linesByFile = new Map<string, string[]>();

/** The lines of a corpus file (1-based line n is lines[n - 1]); blank lines kept for numbering. */
export function corpusLines(file: string): string[] {
  let lines = linesByFile.get(file);
  if (lines === undefined) {
    lines = readFileSync(path.join(CORPUS_DIR, file), 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    linesByFile.set(file, lines);
  }
  return lines;
}

/** Every non-blank line of every corpus file, files in name order, lines in file order. */
export function allCorpusLines(): string[] {
  return corpusFiles().flatMap((f) => corpusLines(f).filter((l) => l.trim() !== ''));
}

/** The CloudTrail record on a line of a corpus file (an envelope's `detail` for EventBridge files). */
export function corpusRecord(file: string, line: number): Record<string, unknown> {
  const text = corpusLines(file)[line - 1];
  if (text === undefined) throw new Error(`${file} has no line ${line}`);
  const value = JSON.parse(text) as Record<string, unknown>;
  return 'detail-type' in value ? (value.detail as Record<string, unknown>) : value;
}

/** Every line that parses as a JSON object (bare records and whole envelopes alike). */
export function corpusObjects(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of allCorpusLines()) {
    try {
      const v = JSON.parse(line) as unknown;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      // Deliberately broken lines are fuzz input elsewhere.
    }
  }
  return out;
}
