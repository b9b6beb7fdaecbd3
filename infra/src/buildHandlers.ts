import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

/**
 * One esbuild bundle per Lambda handler, `handlers/<name>/src/index.ts` ->
 * `handlers/<name>/dist/index.js` (+ `index.js.map`), for the nodejs22.x runtime.
 *
 * Nothing is external, not even the AWS SDK v3 that the nodejs22.x runtime provides: the
 * runtime's copy changes version under our feet (AWS updates it without notice), and the SDK
 * clients the handlers use are the exact versions pinned in package-lock.json and tested
 * locally. The price is a larger zip (a few hundred KB minified) and a slightly longer cold
 * start; in exchange, what runs in Lambda is byte for byte what the tests ran.
 */

export interface BuildOptions {
  /** The handlers/ folder. Default: the repository's. */
  handlersDir?: string;
  /** Only these handler names. Default: every folder with a `src/index.ts`. */
  only?: string[];
  /** Write `<outRoot>/<name>/index.js` instead of `handlers/<name>/dist/index.js` (tests). */
  outRoot?: string;
}

export interface BuiltBundle {
  name: string;
  outfile: string;
  bytes: number;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Handler folders that have an entry point, sorted. */
export function findHandlers(handlersDir: string): string[] {
  if (!fs.existsSync(handlersDir)) return [];
  return fs
    .readdirSync(handlersDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(handlersDir, d.name, 'src', 'index.ts')))
    .map((d) => d.name)
    .sort();
}

export async function buildHandlers(options: BuildOptions = {}): Promise<BuiltBundle[]> {
  const handlersDir = options.handlersDir ?? path.join(REPO_ROOT, 'handlers');
  const available = findHandlers(handlersDir);
  const names = options.only ?? available;
  const missing = names.filter((n) => !available.includes(n));
  if (missing.length) {
    throw new Error(`no handler entry point (src/index.ts) for: ${missing.join(', ')} in ${handlersDir}`);
  }
  const built: BuiltBundle[] = [];
  for (const name of names) {
    const outfile = options.outRoot
      ? path.join(options.outRoot, name, 'index.js')
      : path.join(handlersDir, name, 'dist', 'index.js');
    await build({
      entryPoints: [path.join(handlersDir, name, 'src', 'index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      sourcemap: true,
      // Error and class names survive minification, so logs and `err.name` stay readable.
      keepNames: true,
      legalComments: 'none',
      external: [],
      logLevel: 'warning',
    });
    built.push({ name, outfile, bytes: fs.statSync(outfile).size });
  }
  return built;
}
