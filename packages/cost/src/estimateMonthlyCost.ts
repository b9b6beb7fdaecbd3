import { z } from 'zod';
import { DAYS_PER_MONTH, PRICES } from './prices';

/** An organization, described as `npm run cost` takes it. */
export const OrganizationProfileSchema = z
  .object({
    /** CloudTrail management events a day across the organization (every account and region). */
    eventsPerDay: z.number().positive(),
    /**
     * S3 data events a day that a trail logs for the chosen buckets (infra's `s3DataEvents`),
     * for the opt-in `resource` level; 0 (the default) when none are logged. They go through the
     * feed like management events, with the same shares, and CloudTrail charges every one.
     */
    s3DataEventsPerDay: z.number().nonnegative().default(0),
    accounts: z.number().int().positive().default(100),
    /** Regions forwarded (every region enabled for the organization by default). */
    regions: z.number().int().positive().default(17),
    /** The detection config's `coverage`. */
    coverage: z.enum(['all', 'write-only']).default('all'),
    /** Share of events that are read-only (`readOnly: true`); CloudTrail management events are mostly reads. */
    readOnlyShare: z.number().min(0).max(1).default(0.75),
    /**
     * Share of events the detector ignores whatever the coverage: AWSService and AWSAccount
     * identities, service-linked roles, the config's ignore rules.
     */
    ignoredShare: z.number().min(0).max(1).default(0.2),
    /**
     * Whether the member accounts' forwarding rules drop, in their event patterns, what the
     * detector is certain to ignore (so it never leaves the account and is never billed as a
     * cross-account event). The product's default.
     */
    sourceFilter: z.boolean().default(true),
    kinesisMode: z.enum(['on-demand', 'provisioned']).default('on-demand'),
    /** The config's `feed`: the EventBridge -> Kinesis pipeline, the trail's files, or both. */
    feed: z.enum(['eventbridge', 'trail', 'both']).default('eventbridge'),
    /** Kinesis retention in hours (infra's default 168: a week to recover from an outage). */
    retentionHours: z.number().int().min(24).max(8760).default(168),
    /** CloudWatch Logs retention of the functions' log groups (infra's default 90 days). */
    logRetentionDays: z.number().int().positive().default(90),
  })
  .strict();

export type OrganizationProfile = z.output<typeof OrganizationProfileSchema>;
export type OrganizationProfileInput = z.input<typeof OrganizationProfileSchema>;

/**
 * What the pipeline does per event, measured by the benchmark on its generated organization
 * (`npm run bench -- --json`: `ddbRequestsPer1kEvents`, `detectorCpuMsPerRecord`,
 * `logBytes`); the defaults are the last full run's figures.
 */
export const PipelineMeasurementsSchema = z
  .object({
    /** Baseline-table writes per 1,000 observed events (firstseen with explanations). */
    ddbWritesPer1kEvents: z.number().nonnegative().default(14.2),
    /** Eventually consistent reads per 1,000 observed events. */
    ddbReadsPer1kEvents: z.number().nonnegative().default(0),
    /** Alerts per 1,000 observed events (outbox put + one delivery-state write per destination). */
    alertsPer1kEvents: z.number().nonnegative().default(0.05),
    /** Detector CPU time per record: decode, validate, normalise, keys, cache, explain. */
    detectorCpuMsPerRecord: z.number().nonnegative().default(0.033),
    /** Bytes the detector logs per batch at the default level (summary line and EMF metrics). */
    logBytesPerBatch: z.number().nonnegative().default(1_220),
    /** Bytes logged per 1,000 records beyond the per-batch lines (problems only). */
    logBytesPer1kEvents: z.number().nonnegative().default(7.4),
    /**
     * Average size of one forwarded EventBridge envelope of a CloudTrail record. The generated
     * organization's measure 1.5 KB; real records with request and response elements run
     * larger, so the default rounds up to 2 KB (Kinesis bills data in by the started KB).
     */
    recordBytes: z.number().positive().default(2_048),
  })
  .strict();

export type PipelineMeasurements = z.output<typeof PipelineMeasurementsSchema>;

/** Settings the model takes from infra/ (its defaults), named so the README can state them. */
export const DEPLOYMENT = {
  detectorBatchSize: 100,
  detectorMemoryGb: 0.5,
  /** Invocation overhead per batch: checkpointing, metrics, the summary line. */
  detectorOverheadMsPerBatch: 10,
  /** One conditional write's round trip, counted as if every request of a batch were sequential. */
  ddbLatencyMs: 5,
  dispatcherMemoryGb: 0.5,
  dispatcherMsPerAlert: 300,
  /** Watchdog and redrive, each every 15 minutes, a few seconds each. */
  scheduledInvocationsPerMonth: 2 * 4 * 24 * DAYS_PER_MONTH,
  scheduledMsPerInvocation: 2_000,
  scheduledMemoryGb: 0.5,
  /** Lambda's own START, END and REPORT lines per invocation. */
  platformLogBytesPerInvocation: 350,
  /** Each Kinesis shard's consumer is polled once a second: a batch holds at most what arrived. */
  peakToAverage: 2,
  shardBytesPerSecond: 1024 * 1024,
  shardRecordsPerSecond: 1_000,
  minOnDemandShards: 4,
  /** Baseline items per 1,000 events a day (keys and principals; measured on the generated org). */
  baselineItemsPer1kDailyEvents: 5,
  baselineItemBytes: 300,
  alertItemBytes: 3_000,
  alertRetentionDays: 400,
  /** CloudTrail delivers a log file about every 5 minutes per active account and region. */
  trailFilesPerPairPerDay: 288,
  trailReaderMsPerFile: 80,
  trailReaderFilesPerInvocation: 10,
  /** SQS: one send per file; receive and delete in batches of 10. */
  sqsRequestsPerFile: 1.2,
  secrets: 3,
  /**
   * Heartbeats: each detector process writes an active (account, region) at most once per
   * interval (dynamodb-store's HEARTBEAT_INTERVAL_MS, 5 minutes); one process per shard.
   */
  heartbeatWritesPerPairPerShardPerDay: (24 * 60) / 5,
  /** KMS: data keys are cached by Kinesis, DynamoDB and S3 (bucket keys) about 5 minutes. */
  kmsRequestsPerShardPer5Minutes: 2,
  kmsRequestsPerTablePer5Minutes: 2,
  kmsKeys: 1,
} as const;

export type Service =
  | 'cloudtrail'
  | 'eventbridge'
  | 'kinesis'
  | 'lambda'
  | 'dynamodb'
  | 'kms'
  | 'cloudwatchLogs'
  | 'sqs'
  | 's3'
  | 'secretsManager';

export interface CostEstimate {
  monthlyUsd: { total: number; byService: Record<Service, number> };
  /** The volumes each line is computed from, per month unless named otherwise. */
  volumes: {
    eventsPerMonth: number;
    forwardedEventsPerMonth: number;
    observedEventsPerMonth: number;
    shards: number;
    detectorInvocations: number;
    detectorGbSeconds: number;
    ddbWriteUnits: number;
    ddbReadUnits: number;
    logGb: number;
    trailFiles: number;
    s3DataEventsPerMonth: number;
  };
  /** What the S3 data events add to the bill (the total less the same organization without them). */
  s3DataEventsMonthlyUsd: number;
  /** The largest line. */
  dominant: Service;
  profile: OrganizationProfile;
  measurements: PipelineMeasurements;
  pricesAsOf: string;
}

/**
 * The monthly bill of firstseen for `profile`. Every line is (volume x list price); volumes come
 * from the profile, the benchmark's measurements and infra's defaults (`DEPLOYMENT`).
 */
export function estimateMonthlyCost(
  profileInput: OrganizationProfileInput,
  measurementsInput: z.input<typeof PipelineMeasurementsSchema> = {},
): CostEstimate {
  const profile = OrganizationProfileSchema.parse(profileInput);
  const m = PipelineMeasurementsSchema.parse(measurementsInput);
  const d = DEPLOYMENT;
  const p = PRICES;

  const s3DataEventsPerMonth = profile.s3DataEventsPerDay * DAYS_PER_MONTH;
  const eventsPerMonth = profile.eventsPerDay * DAYS_PER_MONTH + s3DataEventsPerMonth;

  // CloudTrail: trails deliver the first copy of management events free; data events are all billed.
  const cloudtrail = (s3DataEventsPerMonth / 1e5) * p.cloudTrail.usdPerHundredThousandDataEvents;
  const kept =
    (1 - profile.ignoredShare) * (profile.coverage === 'write-only' ? 1 - profile.readOnlyShare : 1);
  const observedEventsPerMonth = eventsPerMonth * kept;
  const streaming = profile.feed !== 'trail';
  const reading = profile.feed !== 'eventbridge';
  const forwardedEventsPerMonth = streaming ? eventsPerMonth * (profile.sourceFilter ? kept : 1) : 0;
  const pairs = profile.accounts * profile.regions;

  // EventBridge: every forwarded event crosses from a member account to the security account.
  const chunks = Math.ceil(m.recordBytes / p.eventBridge.chunkBytes);
  const eventbridge =
    (forwardedEventsPerMonth / 1e6) * chunks * p.eventBridge.usdPerMillionCrossAccountEvents;

  // Kinesis: sized for the peak; billed by data (on-demand) or shards (provisioned).
  const forwardedPerSecond = forwardedEventsPerMonth / (DAYS_PER_MONTH * 86_400);
  const peak = forwardedPerSecond * d.peakToAverage;
  const shards = streaming
    ? Math.max(
        profile.kinesisMode === 'on-demand' ? d.minOnDemandShards : 1,
        Math.ceil((peak * m.recordBytes) / d.shardBytesPerSecond),
        Math.ceil(peak / d.shardRecordsPerSecond),
      )
    : 0;
  const hours = DAYS_PER_MONTH * 24;
  const extendedDays = Math.max(0, profile.retentionHours / 24 - 1);
  let kinesis = 0;
  if (streaming && profile.kinesisMode === 'on-demand') {
    const k = p.kinesis.onDemand;
    const gbIn = (forwardedEventsPerMonth * Math.ceil(m.recordBytes / 1024)) / (1024 * 1024);
    const gbOut = (forwardedEventsPerMonth * m.recordBytes) / 1024 ** 3;
    const gbStoredExtended = (gbIn / DAYS_PER_MONTH) * Math.min(extendedDays, 6);
    kinesis =
      hours * k.usdPerStreamHour +
      gbIn * k.usdPerGbIn +
      gbOut * k.usdPerGbOut +
      gbStoredExtended * k.usdPerGbMonthExtendedRetention;
  } else if (streaming) {
    const k = p.kinesis.provisioned;
    const units = forwardedEventsPerMonth * Math.ceil(m.recordBytes / k.putPayloadUnitBytes);
    kinesis =
      shards * hours * k.usdPerShardHour +
      (units / 1e6) * k.usdPerMillionPutPayloadUnits +
      (extendedDays > 0 ? shards * hours * k.usdPerShardHourExtendedRetention : 0);
  }
  // feed `trail`: the stack keeps its (idle) stream, so that switching back needs no migration
  // (infra/README.md "Trail feed"): its hourly charge only, no data.
  if (!streaming) {
    kinesis =
      profile.kinesisMode === 'on-demand'
        ? hours * p.kinesis.onDemand.usdPerStreamHour
        : hours * p.kinesis.provisioned.usdPerShardHour;
  }

  // Lambda: the detector per batch; a batch holds what a shard received in about a second.
  const perShardPerSecond = shards > 0 ? forwardedPerSecond / shards : 0;
  const batchSize = Math.min(d.detectorBatchSize, Math.max(1, perShardPerSecond));
  const streamedObserved = streaming ? observedEventsPerMonth : 0;
  const detectorInvocations = streaming ? forwardedEventsPerMonth / batchSize : 0;
  const ddbRequestsPerBatch = ((batchSize * kept) / 1000) * (m.ddbWritesPer1kEvents + m.ddbReadsPer1kEvents);
  const detectorMsPerBatch =
    d.detectorOverheadMsPerBatch +
    batchSize * m.detectorCpuMsPerRecord +
    ddbRequestsPerBatch * d.ddbLatencyMs;
  const trailFiles = reading ? pairs * d.trailFilesPerPairPerDay * DAYS_PER_MONTH : 0;
  const trailInvocations = trailFiles / d.trailReaderFilesPerInvocation;
  const trailMs =
    trailFiles * d.trailReaderMsPerFile +
    observedEventsPerMonth * m.detectorCpuMsPerRecord * (reading ? 1 : 0) +
    (reading ? (observedEventsPerMonth / 1000) * m.ddbWritesPer1kEvents * d.ddbLatencyMs : 0);
  const alerts = (observedEventsPerMonth / 1000) * m.alertsPer1kEvents;
  const detectorGbSeconds = (detectorInvocations * detectorMsPerBatch * d.detectorMemoryGb) / 1000;
  const gbSeconds =
    detectorGbSeconds +
    (trailMs * d.detectorMemoryGb) / 1000 +
    (alerts * d.dispatcherMsPerAlert * d.dispatcherMemoryGb) / 1000 +
    (d.scheduledInvocationsPerMonth * d.scheduledMsPerInvocation * d.scheduledMemoryGb) / 1000;
  const invocations = detectorInvocations + trailInvocations + alerts + d.scheduledInvocationsPerMonth;
  const lambda =
    (invocations / 1e6) * p.lambda.usdPerMillionRequests + gbSeconds * p.lambda.usdPerGbSecondArm64;

  // DynamoDB: the engine's conditional writes, alerts, heartbeats. With `both`, each feed runs
  // the engine with a cache of its own: counted as twice the writes (an upper bound; the second
  // sighting of a key is a cache hit or a failed conditional write, billed all the same).
  const feeds = profile.feed === 'both' ? 2 : 1;
  const ddbWriteUnits =
    (observedEventsPerMonth / 1000) * m.ddbWritesPer1kEvents * feeds +
    alerts * 3 +
    pairs * d.heartbeatWritesPerPairPerShardPerDay * Math.max(1, shards) * DAYS_PER_MONTH;
  const ddbReadUnits =
    (observedEventsPerMonth / 1000) * m.ddbReadsPer1kEvents * 0.5 * feeds +
    // the watchdog reads one heartbeat item per expected pair per run (eventually consistent)
    (d.scheduledInvocationsPerMonth / 2) * pairs * 0.5;
  const baselineGb =
    ((profile.eventsPerDay / 1000) * d.baselineItemsPer1kDailyEvents * d.baselineItemBytes) / 1024 ** 3;
  const alertGb = ((alerts / DAYS_PER_MONTH) * d.alertRetentionDays * d.alertItemBytes) / 1024 ** 3;
  const dynamodb =
    (ddbWriteUnits / 1e6) * p.dynamoDb.usdPerMillionWriteRequestUnits +
    (ddbReadUnits / 1e6) * p.dynamoDb.usdPerMillionReadRequestUnits +
    (baselineGb + alertGb) * (p.dynamoDb.usdPerGbMonthStorage + p.dynamoDb.usdPerGbMonthPitr);

  // KMS: one key; data keys cached about 5 minutes per shard and per table.
  const fiveMinutes = hours * 12;
  const kmsRequests =
    fiveMinutes * (shards * d.kmsRequestsPerShardPer5Minutes + 2 * d.kmsRequestsPerTablePer5Minutes);
  const kms = d.kmsKeys * p.kms.usdPerKeyMonth + (kmsRequests / 1e4) * p.kms.usdPerTenThousandRequests;

  // CloudWatch Logs: per batch lines (never per observed record at the default level).
  const logBytes =
    invocations * d.platformLogBytesPerInvocation +
    (detectorInvocations + trailInvocations) * m.logBytesPerBatch +
    ((streamedObserved + (reading ? observedEventsPerMonth : 0)) / 1000) * m.logBytesPer1kEvents;
  const logGb = logBytes / 1024 ** 3;
  const cloudwatchLogs =
    logGb * p.cloudWatchLogs.usdPerGbIngested +
    logGb * (profile.logRetentionDays / DAYS_PER_MONTH) * p.cloudWatchLogs.usdPerGbMonthStored;

  // S3 and SQS: the trail feed reads each new log file once.
  const s3 = (trailFiles / 1000) * p.s3.usdPerThousandGet;
  const sqs = ((trailFiles * d.sqsRequestsPerFile) / 1e6) * p.sqs.usdPerMillionRequests;

  const secretsManager = d.secrets * p.secretsManager.usdPerSecretMonth;

  const byService: Record<Service, number> = {
    cloudtrail,
    eventbridge,
    kinesis,
    lambda,
    dynamodb,
    kms,
    cloudwatchLogs,
    sqs,
    s3,
    secretsManager,
  };
  const total = Object.values(byService).reduce((a, b) => a + b, 0);
  const dominant = (Object.entries(byService) as [Service, number][]).reduce((a, b) =>
    b[1] > a[1] ? b : a,
  )[0];
  const withoutDataEvents =
    profile.s3DataEventsPerDay === 0
      ? total
      : estimateMonthlyCost({ ...profile, s3DataEventsPerDay: 0 }, m).monthlyUsd.total;
  return {
    monthlyUsd: { total, byService },
    volumes: {
      eventsPerMonth,
      forwardedEventsPerMonth,
      observedEventsPerMonth,
      shards,
      detectorInvocations,
      detectorGbSeconds,
      ddbWriteUnits,
      ddbReadUnits,
      logGb,
      trailFiles,
      s3DataEventsPerMonth,
    },
    s3DataEventsMonthlyUsd: total - withoutDataEvents,
    dominant,
    profile,
    measurements: m,
    pricesAsOf: PRICES.asOf,
  };
}
