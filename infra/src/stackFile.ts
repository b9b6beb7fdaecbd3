import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { InfraConfigError } from './errors';
import { readStackSettings, type StackSettings } from './stackSettings';

/** The `firstseen:` settings and `aws:region` of one `Pulumi.<stack>.yaml`, as the program would read them. */
export interface StackFileSettings {
  file: string;
  /** Raw values by key without the namespace, objects as JSON text (what `pulumi.Config#get` returns). */
  values: Record<string, string>;
  awsRegion?: string;
}

/** The stack files of a Pulumi project folder: `Pulumi.<stack>.yaml`, by stack name. */
export function stackFiles(projectDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(projectDir)) {
    const m = /^Pulumi\.(.+)\.ya?ml$/.exec(f);
    if (m) out[m[1]!] = path.join(projectDir, f);
  }
  return out;
}

/**
 * Reads a stack's config file offline. Pulumi stores a value set as a string as that string and
 * a value set with `--path`/`--json` as YAML structure; the program receives the latter as JSON
 * text, so it is turned into JSON here. A `secure:` value cannot be read without the stack's
 * secrets provider; firstseen's settings hold no secrets (those live in Secrets Manager), so an
 * encrypted firstseen setting is reported.
 */
export function readStackFile(file: string): StackFileSettings {
  let doc: unknown;
  try {
    doc = yaml.load(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InfraConfigError(`${file} cannot be read as YAML: ${(err as Error).message}`, { cause: err });
  }
  const config = ((doc as { config?: unknown } | null)?.config ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  const encrypted: string[] = [];
  let awsRegion: string | undefined;
  for (const [key, value] of Object.entries(config)) {
    const isSecure = typeof value === 'object' && value !== null && 'secure' in value;
    if (key === 'aws:region' && typeof value === 'string') awsRegion = value;
    if (!key.startsWith('firstseen:')) continue;
    const name = key.slice('firstseen:'.length);
    if (isSecure) encrypted.push(key);
    else values[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  if (encrypted.length) {
    throw new InfraConfigError(
      `${encrypted.join(', ')} ${encrypted.length > 1 ? 'are' : 'is'} encrypted: firstseen settings hold no secrets, set ${encrypted.length > 1 ? 'them' : 'it'} without --secret`,
    );
  }
  return { file, values, awsRegion };
}

/**
 * `npm run check` for one stack: the stack file's settings through the same `readStackSettings`
 * that `pulumi up` runs (relative paths resolve against the project folder, like the program's).
 */
export function checkStackFile(file: string): StackSettings {
  const s = readStackFile(file);
  return readStackSettings((k) => s.values[k], path.dirname(file), {
    keys: Object.keys(s.values),
    awsRegion: s.awsRegion,
  });
}
