/**
 * List prices used by the cost model: US East (N. Virginia), on-demand, no free tier, no
 * savings plans. One dated table: when AWS changes a price, change it here (and `asOf`), and
 * every figure of `npm run cost`, the bench and the READMEs follows.
 */
export const PRICES = {
  asOf: '2026-12-06',
  region: 'us-east-1',
  cloudTrail: {
    /**
     * Data events (S3 object-level calls: GetObject, PutObject, ...), per 100,000 delivered; every
     * delivery is charged, the first included (management events: the first copy is free).
     */
    usdPerHundredThousandDataEvents: 0.1,
    source:
      'https://aws.amazon.com/cloudtrail/pricing/ (trails: data events recorded only for the buckets you specify)',
  },
  eventBridge: {
    /** Events delivered to a bus in another account, per million; each 64 KB of an event counts as one. */
    usdPerMillionCrossAccountEvents: 1.0,
    chunkBytes: 64 * 1024,
    source:
      'https://aws.amazon.com/eventbridge/pricing/ (event bus: cross-account events; AWS management events on the default bus are free)',
  },
  kinesis: {
    onDemand: {
      usdPerStreamHour: 0.04,
      /** Data in is metered per record rounded up to the next 1 KB. */
      usdPerGbIn: 0.08,
      usdPerGbOut: 0.04,
      /** Retention beyond 24 hours, up to 7 days, per GB-month stored. */
      usdPerGbMonthExtendedRetention: 0.1,
    },
    provisioned: {
      usdPerShardHour: 0.015,
      /** PUT payload units of 25 KB, per million. */
      usdPerMillionPutPayloadUnits: 0.014,
      putPayloadUnitBytes: 25 * 1024,
      /** Retention beyond 24 hours, up to 7 days. */
      usdPerShardHourExtendedRetention: 0.02,
    },
    source: 'https://aws.amazon.com/kinesis/data-streams/pricing/',
  },
  lambda: {
    usdPerMillionRequests: 0.2,
    /** arm64 (the architecture infra/ deploys), first pricing tier. */
    usdPerGbSecondArm64: 0.0000133334,
    source: 'https://aws.amazon.com/lambda/pricing/ (Arm price, first 7.5 billion GB-seconds a month)',
  },
  dynamoDb: {
    /** On-demand, since the reduction of 1 November 2024. */
    usdPerMillionWriteRequestUnits: 0.625,
    usdPerMillionReadRequestUnits: 0.125,
    usdPerGbMonthStorage: 0.25,
    usdPerGbMonthPitr: 0.2,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  kms: {
    usdPerKeyMonth: 1.0,
    usdPerTenThousandRequests: 0.03,
    source: 'https://aws.amazon.com/kms/pricing/',
  },
  cloudWatchLogs: {
    usdPerGbIngested: 0.5,
    usdPerGbMonthStored: 0.03,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs: standard ingestion, storage)',
  },
  s3: {
    usdPerThousandGet: 0.0004,
    usdPerThousandPut: 0.005,
    /** LIST requests are billed as PUT, COPY, POST, LIST requests. */
    usdPerThousandList: 0.005,
    usdPerGbMonth: 0.023,
    source: 'https://aws.amazon.com/s3/pricing/ (S3 Standard)',
  },
  stepFunctions: {
    /** Standard workflows (a distributed map's STANDARD children included); retries count. */
    usdPerThousandStateTransitions: 0.025,
    source: 'https://aws.amazon.com/step-functions/pricing/ (Standard workflows, US East (N. Virginia))',
  },
  sqs: {
    usdPerMillionRequests: 0.4,
    source:
      'https://aws.amazon.com/sqs/pricing/ (standard queue, each 64 KB chunk of a request is one request)',
  },
  secretsManager: {
    usdPerSecretMonth: 0.4,
    usdPerTenThousandCalls: 0.05,
    source: 'https://aws.amazon.com/secrets-manager/pricing/',
  },
} as const;

/** Days in an average month (the unit every figure is given in). */
export const DAYS_PER_MONTH = 365 / 12;
