import { type ParseArgsConfig, parseArgs } from 'node:util';
import { FirstseenError } from './errors';

/**
 * A command line that cannot be run: an unknown option, a missing or bad value. Every
 * `npm run …` command answers it with one line, its usage and exit code 2.
 */
export class UsageError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** `--help` or `-h` was given: the command prints its usage and exits 0. */
export class HelpRequested extends FirstseenError {
  constructor() {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
type HelpOption = { help: { type: 'boolean'; short: 'h' } };

/** Node's parse errors, reworded where its text is longer than the one line a user needs. */
function reason(err: unknown): string {
  // Some runtimes (Jest's) put `TypeError [ERR_PARSE_ARGS_…]: ` in front of the message.
  const message = (err instanceof Error ? err.message : String(err)).replace(/^\w*Error \[\w+\]: /, '');
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  return message.replace(/\.$/, '');
}

/**
 * Node's `util.parseArgs` in strict mode, the one parser of every command: an unknown option,
 * a value missing after an option or an unexpected positional throws UsageError; `--help`
 * (every command has it) throws HelpRequested.
 */
export function parseCommandLine<const O extends Options, const P extends boolean = false>(
  argv: string[],
  options: O,
  allowPositionals?: P,
) {
  const config = {
    args: argv,
    options: { ...options, help: { type: 'boolean', short: 'h' } } as O & HelpOption,
    allowPositionals: (allowPositionals ?? false) as P,
    strict: true as const,
  };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    throw new UsageError(reason(err), { cause: err });
  }
  if ((parsed.values as { help?: boolean }).help === true) throw new HelpRequested();
  return parsed;
}

/**
 * A number option: undefined when absent; a UsageError naming the option when the value is
 * not a number, not an integer where one is needed, or below `min`.
 */
export function numberOption(
  name: string,
  value: string | undefined,
  rules: { integer?: boolean; min?: number; exclusiveMin?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  const bad = (what: string) => new UsageError(`--${name} must be ${what}, got ${JSON.stringify(value)}`);
  if (!Number.isFinite(n)) throw bad(rules.integer ? 'an integer' : 'a number');
  if (rules.integer && !Number.isInteger(n)) throw bad('an integer');
  if (rules.min !== undefined && n < rules.min) throw bad(`at least ${rules.min}`);
  if (rules.exclusiveMin !== undefined && n <= rules.exclusiveMin)
    throw bad(rules.exclusiveMin === 0 ? 'a positive number' : `greater than ${rules.exclusiveMin}`);
  return n;
}

/** A duration option such as `--since`: `7d`, `12h`, `30m` -> milliseconds; undefined when not in that form. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,5})([dhm])$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
  return Number(m[1]) * unit;
}
