import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A place in the repository that refers to a path outside it. */
export interface OutsideReference {
  file: string;
  line: number;
  text: string;
  reason: string;
}

/** Files whose contents are data, not references (the corpus, lock files, images). */
const SKIPPED = [/^package-lock\.json$/, /\.ndjson$/, /\.(png|jpe?g|gz|zip)$/, /(^|\/)__snapshots__\//];

/** Names of the folders that sit beside a checkout here but not beside a user's clone. */
const SIBLING_PATTERN =
  /(?:^|[^\w.-])(?:\.\.\/)+(?:shared|\.library)(?:\/|\b)|\/work\/(?:shared|main|\.library|wt)\b/;

/** A relative path of at least one `../` followed by a name (in code, Markdown links, prose). */
const RELATIVE_PATTERN = /(?<![\w.])((?:\.\.\/)+)([\w@.-][\w@./-]*)/g;

/**
 * Every line of the tracked files under `root` that refers to a path outside `root`: a `../`
 * path that, resolved from the file's own folder, leaves the repository, or a name of a folder
 * that only exists next to this checkout. A clone of the repository alone must work.
 */
export function findOutsideReferences(
  root: string,
  files: string[] = trackedFiles(root),
): OutsideReference[] {
  const found: OutsideReference[] = [];
  const top = path.resolve(root);
  for (const file of files) {
    if (SKIPPED.some((p) => p.test(file))) continue;
    let text: string;
    try {
      text = readFileSync(path.join(top, file), 'utf8');
    } catch {
      continue;
    }
    if (text.includes('\u0000')) continue;
    const dir = path.dirname(path.join(top, file));
    text.split('\n').forEach((content, index) => {
      if (SIBLING_PATTERN.test(content)) {
        found.push({
          file,
          line: index + 1,
          text: content.trim(),
          reason: 'names a folder outside the repository',
        });
        return;
      }
      for (const match of content.matchAll(RELATIVE_PATTERN)) {
        const target = path.resolve(dir, `${match[1]}${match[2]}`);
        if (target !== top && !target.startsWith(`${top}${path.sep}`)) {
          found.push({
            file,
            line: index + 1,
            text: content.trim(),
            reason: `${match[0]} leaves the repository`,
          });
          return;
        }
      }
    });
  }
  return found;
}

function trackedFiles(root: string): string[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '');
}
