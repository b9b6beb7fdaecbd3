import { PRICES } from './prices';

/**
 * One replay-shard invocation's seed throughput, measured locally (packages/replay/README.md
 * "Seeding on AWS"): `npx tsx packages/replay/tests/measureShard.ts 200000 memory` (read from
 * s3rver, gunzip, parse, seed engine; no DynamoDB) and without `memory` (the same into DynamoDB
 * Local), on one core of the shared 2-core development machine, generated organization.
 */
export const SEED_SHARD_MEASUREMENT = {
  measuredOn: '2026-12-06',
  /** Events read and seeded per second by one invocation, writes excluded. */
  eventsPerSecond: 14_227,
  /**
   * Write units charged per event with the state machine's batches of 50 objects (716 objects,
   * 195,426 events, 15 batches into one baseline: each batch writes every key it sees, 0.0704
   * keys and principal sightings per event; a key an earlier batch wrote costs a failed
   * conditional put and the merge's update, so 18,971 write units, 0.0971 per event, counted
   * by the write-rate guard; one batch of all 716 objects writes 0.0201 keys per event).
   */
  writesPerEvent: 0.0971,
  /** Events per trail object of the generated organization. */
  eventsPerObject: 273,
} as const;

export interface SeedProjectionInput {
  eventsPerDay: number;
  /** Days of history (default 90). */
  days?: number;
  /** The map's MaxConcurrency (default 100, infra's default). */
  concurrency?: number;
  /** The seed's share of the baseline table's writes, all batches together (default 1000, infra's default). */
  writeUnitsPerSecond?: number;
  /** Objects per batch (default 50, the state machine's default). */
  itemsPerBatch?: number;
  /** replay-shard's memory (default 1769 MB, infra's default). */
  memoryMb?: number;
  eventsPerSecond?: number;
  writesPerEvent?: number;
  eventsPerObject?: number;
}

export interface SeedProjection {
  eventsPerDay: number;
  days: number;
  concurrency: number;
  events: number;
  objects: number;
  batches: number;
  writes: number;
  /** Wall time if only the shards' compute limited it, and if only the write share did. */
  computeBoundHours: number;
  writeBoundHours: number;
  wallHours: number;
  limitedBy: 'compute' | 'writes';
  /** One batch's duration: must stay under Lambda's 15 minutes. */
  batchSeconds: number;
  fitsLambdaTimeout: boolean;
  cost: { lambda: number; stepFunctions: number; dynamoDb: number; s3: number; total: number };
}

const LAMBDA_TIMEOUT_SECONDS = 900;
/** A child workflow of one Task state: the Task state's transition and the child's end. */
const TRANSITIONS_PER_BATCH = 2;

/**
 * Wall time and cost of seeding `days` of history on AWS (the replay's distributed map): the
 * shards compute at the measured rate, `concurrency` at a time, and together write at most
 * `writeUnitsPerSecond` (each shard waits on its guard otherwise, and is billed while waiting).
 */
export function projectSeedOnAws(input: SeedProjectionInput): SeedProjection {
  const days = input.days ?? 90;
  const concurrency = input.concurrency ?? 100;
  const writeUnits = input.writeUnitsPerSecond ?? 1000;
  const perBatch = input.itemsPerBatch ?? 50;
  const memoryGb = (input.memoryMb ?? 1769) / 1024;
  const rate = input.eventsPerSecond ?? SEED_SHARD_MEASUREMENT.eventsPerSecond;
  const writesPerEvent = input.writesPerEvent ?? SEED_SHARD_MEASUREMENT.writesPerEvent;
  const perObject = input.eventsPerObject ?? SEED_SHARD_MEASUREMENT.eventsPerObject;
  for (const [name, v] of Object.entries({
    eventsPerDay: input.eventsPerDay,
    days,
    concurrency,
    writeUnits,
    perBatch,
    rate,
    perObject,
  })) {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${name} must be a positive number`);
  }

  const events = input.eventsPerDay * days;
  const objects = Math.ceil(events / perObject);
  const batches = Math.ceil(objects / perBatch);
  const writes = events * writesPerEvent;
  const computeSeconds = events / rate / concurrency;
  const writeSeconds = writes / writeUnits;
  const wallSeconds = Math.max(computeSeconds, writeSeconds);
  const batchEvents = perBatch * perObject;
  const batchSeconds = batchEvents / rate + (batchEvents * writesPerEvent) / (writeUnits / concurrency);

  // Every slot of the map is busy (computing or waiting on its write share) for the whole run.
  const gbSeconds = concurrency * wallSeconds * memoryGb;
  const lambda =
    gbSeconds * PRICES.lambda.usdPerGbSecondArm64 + (batches / 1e6) * PRICES.lambda.usdPerMillionRequests;
  const stepFunctions =
    ((batches * TRANSITIONS_PER_BATCH) / 1000) * PRICES.stepFunctions.usdPerThousandStateTransitions;
  const dynamoDb = (writes / 1e6) * PRICES.dynamoDb.usdPerMillionWriteRequestUnits;
  // Only the range's objects: `--on aws` lists the range itself (one LIST per 1,000 of its keys,
  // jumping over the days outside it) and the map reads that list, so no object outside the range
  // costs an invocation. Each shard: one GET per object; the list and ResultWriter: a few PUTs/GETs.
  const s3 =
    (objects / 1000) * PRICES.s3.usdPerThousandGet + (objects / 1000 / 1000) * PRICES.s3.usdPerThousandList;
  const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  return {
    eventsPerDay: input.eventsPerDay,
    days,
    concurrency,
    events,
    objects,
    batches,
    writes: Math.round(writes),
    computeBoundHours: round(computeSeconds / 3600),
    writeBoundHours: round(writeSeconds / 3600),
    wallHours: round(wallSeconds / 3600),
    limitedBy: computeSeconds >= writeSeconds ? 'compute' : 'writes',
    batchSeconds: round(batchSeconds, 1),
    fitsLambdaTimeout: batchSeconds < LAMBDA_TIMEOUT_SECONDS,
    cost: {
      lambda: round(lambda),
      stepFunctions: round(stepFunctions),
      dynamoDb: round(dynamoDb),
      s3: round(s3),
      total: round(lambda + stepFunctions + dynamoDb + s3),
    },
  };
}

/** The projection as a table: one column per events-per-day. */
export function formatSeedProjection(rows: SeedProjection[]): string {
  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const lines: [string, (p: SeedProjection) => string][] = [
    ['events/day', (p) => fmt(p.eventsPerDay)],
    ['events (history)', (p) => fmt(p.events)],
    ['objects / batches', (p) => `${fmt(p.objects)} / ${fmt(p.batches)}`],
    ['write units', (p) => fmt(p.writes)],
    ['wall time (h)', (p) => `${fmt(p.wallHours)} (${p.limitedBy})`],
    ['  compute-bound (h)', (p) => fmt(p.computeBoundHours)],
    ['  write-bound (h)', (p) => fmt(p.writeBoundHours)],
    ['one batch (s)', (p) => `${fmt(p.batchSeconds)}${p.fitsLambdaTimeout ? '' : ' > 900!'}`],
    ['Lambda $', (p) => fmt(p.cost.lambda)],
    ['Step Functions $', (p) => fmt(p.cost.stepFunctions)],
    ['DynamoDB writes $', (p) => fmt(p.cost.dynamoDb)],
    ['S3 GET/LIST $', (p) => fmt(p.cost.s3)],
    ['total $', (p) => fmt(p.cost.total)],
  ];
  const cells = lines.map(([label, f]) => [label, ...rows.map(f)]);
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}
