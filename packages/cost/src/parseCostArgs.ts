import { HelpRequested, parseCommandLine, UsageError } from '@firstseen/core';
import type { z } from 'zod';
import { type OrganizationProfileInput, OrganizationProfileSchema } from './estimateMonthlyCost';

export const COST_USAGE = `usage: npm run cost -- --events-per-day N [options]

The monthly AWS bill of firstseen, per service, at us-east-1 list prices.

  --events-per-day N     CloudTrail events a day across the organization (required; 1e9 or 1000000000)
  --s3-data-events-per-day N
                         S3 data events a day logged for chosen buckets (levels.resource; default 0)
  --accounts N           accounts (default 100)
  --regions N            regions forwarded (default 17)
  --coverage C           all | write-only (default all)
  --read-only-share F    share of read-only events, 0..1 (default 0.75)
  --ignored-share F      share the detector ignores (AWS services, service-linked roles, ignore rules), 0..1 (default 0.2)
  --no-source-filter     forward every event, as if the forwarding rules did not drop what the detector ignores
  --kinesis M            on-demand | provisioned (default on-demand)
  --feed F               eventbridge | trail | both (default eventbridge)
  --compare WHAT         feed | coverage | kinesis: one column per setting
  --seed-projection      instead: wall time and cost of seeding 90 days on AWS (replay --on aws) at
                         10M, 100M and 1B events a day (or --events-per-day N), --concurrency N (default 100),
                         --seed-write-units N (default 1000)
  --json                 one JSON object
  --help                 this text`;

/** A bad command line: one line, the usage, exit 2 (as every command). */
export class CostUsageError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'CostUsageError';
  }
}

export interface CostCommand {
  help: boolean;
  json: boolean;
  compare?: 'feed' | 'coverage' | 'kinesis';
  /** `--seed-projection`: the events per day to project (and the map's settings). */
  seedProjection?: { eventsPerDay: number[]; concurrency?: number; writeUnitsPerSecond?: number };
  profile: OrganizationProfileInput;
}

function numberOf(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isFinite(n))
    throw new CostUsageError(`--${flag} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses `npm run cost` arguments; a bad flag or value throws CostUsageError with one line. */
export function parseCostArgs(argv: string[]): CostCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseCommandLine(argv, {
      'events-per-day': { type: 'string' },
      's3-data-events-per-day': { type: 'string' },
      accounts: { type: 'string' },
      regions: { type: 'string' },
      coverage: { type: 'string' },
      'read-only-share': { type: 'string' },
      'ignored-share': { type: 'string' },
      'no-source-filter': { type: 'boolean' },
      kinesis: { type: 'string' },
      feed: { type: 'string' },
      compare: { type: 'string' },
      json: { type: 'boolean' },
      'seed-projection': { type: 'boolean' },
      concurrency: { type: 'string' },
      'seed-write-units': { type: 'string' },
    }).values;
  } catch (err) {
    if (err instanceof HelpRequested) return { help: true, json: false, profile: { eventsPerDay: 1 } };
    throw err;
  }
  const compare = values.compare as string | undefined;
  if (compare !== undefined && !['feed', 'coverage', 'kinesis'].includes(compare)) {
    throw new CostUsageError(`--compare must be feed, coverage or kinesis, got ${JSON.stringify(compare)}`);
  }
  const eventsPerDay = numberOf('events-per-day', values['events-per-day'] as string | undefined);
  if (values['seed-projection'] === true) {
    const concurrency = numberOf('concurrency', values.concurrency as string | undefined);
    const writeUnits = numberOf('seed-write-units', values['seed-write-units'] as string | undefined);
    for (const [flag, v] of [
      ['events-per-day', eventsPerDay],
      ['concurrency', concurrency],
      ['seed-write-units', writeUnits],
    ] as const)
      if (v !== undefined && !(v > 0)) throw new CostUsageError(`--${flag} must be positive`);
    const seedProjection: NonNullable<CostCommand['seedProjection']> = {
      eventsPerDay: eventsPerDay === undefined ? [1e7, 1e8, 1e9] : [eventsPerDay],
    };
    if (concurrency !== undefined) seedProjection.concurrency = concurrency;
    if (writeUnits !== undefined) seedProjection.writeUnitsPerSecond = writeUnits;
    return {
      help: false,
      json: values.json === true,
      seedProjection,
      profile: { eventsPerDay: eventsPerDay ?? 1 },
    };
  }
  if (values.concurrency !== undefined || values['seed-write-units'] !== undefined)
    throw new CostUsageError('--concurrency and --seed-write-units are for --seed-projection');
  if (eventsPerDay === undefined) throw new CostUsageError('--events-per-day is required');
  const raw = {
    eventsPerDay,
    s3DataEventsPerDay: numberOf(
      's3-data-events-per-day',
      values['s3-data-events-per-day'] as string | undefined,
    ),
    accounts: numberOf('accounts', values.accounts as string | undefined),
    regions: numberOf('regions', values.regions as string | undefined),
    coverage: values.coverage,
    readOnlyShare: numberOf('read-only-share', values['read-only-share'] as string | undefined),
    ignoredShare: numberOf('ignored-share', values['ignored-share'] as string | undefined),
    sourceFilter: values['no-source-filter'] === true ? false : undefined,
    kinesisMode: values.kinesis,
    feed: values.feed,
  };
  const profile = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const parsed = OrganizationProfileSchema.safeParse(profile);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CostUsageError(`${issue.path.join('.') || 'arguments'}: ${issue.message}`);
  }
  return {
    help: false,
    json: values.json === true,
    compare: compare as CostCommand['compare'],
    profile: profile as z.input<typeof OrganizationProfileSchema>,
  };
}
