/**
 * `npm run generate -- --days D --seed S --out DIR [--events-per-day N] [--format s3|ndjson]`
 *
 * Writes a realistic organization's CloudTrail for D days ending at --end (default: the start of
 * the current UTC day), with anomalies injected in the last --live-minutes, plus
 * `ground-truth.json` describing each injected anomaly and the levels it should alert at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommandLine, UsageError } from '@firstseen/core';
import { createOrganization } from './createOrganization';
import { generateEvents } from './generateEvents';
import { planAnomalies } from './planAnomalies';
import { splitPeriod } from './splitPeriod';
import { type CloudTrailRecord, SCENARIO_NAMES, type ScenarioName } from './types';
import { writeCloudTrailS3Layout } from './writeCloudTrailS3Layout';
import { writeNdjson } from './writeNdjson';

export const GENERATE_USAGE = `usage: npm run generate -- --days D --seed S --out DIR [options]

  --days D              length of the generated period in days (> 0)
  --seed S              seed: the same seed and options give the same files
  --out DIR             output folder (created if missing)
  --events-per-day N    average background events per day (default 5000)
  --format s3|ndjson    CloudTrail S3 layout of .json.gz files (default) or one events.ndjson
  --envelope            with --format ndjson: wrap records in EventBridge envelopes
  --end ISO             end of the period (default: the start of the current UTC day)
  --live-minutes M      the final live period that holds the anomalies (default 60)
  --anomalies LIST      'all' (default), 'none', or a comma-separated list of: ${SCENARIO_NAMES.join(', ')}
  --accounts N          number of AWS accounts (default 6)
  -h, --help
`;

function positive(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number, got '${value}'`);
  return n;
}

interface Args {
  days: number;
  seed: string;
  out: string;
  eventsPerDay: number;
  format: 's3' | 'ndjson';
  envelope: boolean;
  end: number;
  liveMinutes: number;
  anomalies: 'all' | 'none' | ScenarioName[];
  accounts: number;
}

function parse(argv: string[]): Args {
  const { values } = parseCommandLine(argv, {
    days: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'events-per-day': { type: 'string' },
    format: { type: 'string' },
    envelope: { type: 'boolean' },
    end: { type: 'string' },
    'live-minutes': { type: 'string' },
    anomalies: { type: 'string' },
    accounts: { type: 'string' },
  });
  const str = (k: keyof typeof values) => values[k] as string | undefined;
  const seed = str('seed');
  if (!seed) throw new UsageError('--seed is required');
  const out = str('out');
  if (!out) throw new UsageError('--out is required');
  const format = str('format') ?? 's3';
  if (format !== 's3' && format !== 'ndjson')
    throw new UsageError(`--format must be s3 or ndjson, got '${format}'`);
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const endText = str('end');
  const end = endText === undefined ? today : Date.parse(endText);
  if (!Number.isFinite(end)) throw new UsageError(`--end must be an ISO 8601 date, got '${endText}'`);
  const anomaliesText = str('anomalies') ?? 'all';
  let anomalies: Args['anomalies'];
  if (anomaliesText === 'all' || anomaliesText === 'none') anomalies = anomaliesText;
  else {
    const list = anomaliesText.split(',').map((s) => s.trim());
    for (const s of list) {
      if (!SCENARIO_NAMES.includes(s as ScenarioName))
        throw new UsageError(`unknown anomaly scenario '${s}'`);
    }
    anomalies = list as ScenarioName[];
  }
  const accounts = positive('accounts', str('accounts'), 6);
  return {
    days: positive('days', str('days')),
    seed,
    out: resolve(out),
    eventsPerDay: positive('events-per-day', str('events-per-day'), 5000),
    format,
    envelope: values.envelope === true,
    end,
    liveMinutes: positive('live-minutes', str('live-minutes'), 60),
    anomalies,
    accounts,
  };
}

/** `npm run generate`: writes the files and ground-truth.json; returns the exit code. */
export async function runGenerateCommand(argv: string[]): Promise<number> {
  const args = parse(argv);
  const org = createOrganization({ seed: args.seed, accounts: args.accounts });
  const historyDays = args.days - args.liveMinutes / 1440;
  if (historyDays < 0) throw new UsageError('--live-minutes must not exceed --days');
  const period = splitPeriod({
    liveStart: args.end - args.liveMinutes * 60_000,
    historyDays,
    liveMinutes: args.liveMinutes,
  });
  const plan =
    args.anomalies === 'none' ? undefined : planAnomalies(org, { ...period, scenarios: args.anomalies });
  mkdirSync(args.out, { recursive: true });

  const started = Date.now();
  let count = 0;
  let lastReport = 0;
  const tty = process.stderr.isTTY;
  const report = (files: number | undefined, final = false) => {
    const now = Date.now();
    if (!final && now - lastReport < (tty ? 250 : 5000)) return;
    lastReport = now;
    const secs = (now - started) / 1000;
    const line = `generated ${count.toLocaleString('en-US')} events${files === undefined ? '' : ` in ${files.toLocaleString('en-US')} files`} (${Math.round(count / Math.max(secs, 0.001)).toLocaleString('en-US')} events/s)`;
    process.stderr.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
  function* counted(it: Iterable<CloudTrailRecord>): Generator<CloudTrailRecord> {
    for (const r of it) {
      count++;
      yield r;
    }
  }
  const events = counted(
    generateEvents(org, {
      start: period.start,
      end: period.end,
      eventsPerDay: args.eventsPerDay,
      anomalies: plan,
    }),
  );
  let files: number | undefined;
  if (args.format === 's3') {
    files = writeCloudTrailS3Layout(events, {
      dir: args.out,
      seed: args.seed,
      onFile: (_f, s) => report(s.files),
    }).files;
  } else {
    await writeNdjson(events, join(args.out, 'events.ndjson'), {
      envelope: args.envelope,
      onProgress: () => report(undefined),
    });
  }
  report(files, true);

  const truth = {
    seed: args.seed,
    start: new Date(period.start).toISOString(),
    liveStart: new Date(period.liveStart).toISOString(),
    end: new Date(period.end).toISOString(),
    eventsPerDay: args.eventsPerDay,
    format: args.format,
    events: count,
    accounts: org.accounts,
    assumes: plan?.assumes,
    skipped: plan?.skipped ?? [],
    anomalies: plan?.truth ?? [],
  };
  writeFileSync(join(args.out, 'ground-truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  process.stderr.write(
    `wrote ${args.out} (${truth.anomalies.length} anomalies in ${join(args.out, 'ground-truth.json')}` +
      `${truth.skipped.length ? `; skipped: ${truth.skipped.map((s) => `${s.scenario} (${s.reason})`).join(', ')}` : ''})\n`,
  );
  return 0;
}
