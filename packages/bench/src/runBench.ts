import { type Config, parseConfig } from '@firstseen/core';
import { type CacheMemoryResult, measureCacheMemory } from './cacheMemory';
import {
  type CrossCheckResult,
  crossCheckWithDynamoDbLocal,
  type DdbRequestsResult,
  measureDdbRequests,
  observedSample,
} from './ddbRequests';
import { DEFAULT_E2E, type E2eResult, measureE2eLatency } from './e2eLatency';
import { type HotPathResult, measureHotPath, toKinesisPayloads } from './hotPath';
import { measurePipelineCost, type PipelineCostResult } from './pipelineCost';
import {
  measureReplayScaling,
  type ReplayScalingResult,
  scalingRounds,
  scalingWorkload,
} from './replayScaling';
import { measureReplay, type ReplayResult } from './replayThroughput';
import { measureResourceLevel, RESOURCE_WORKLOAD_S3_SHARE, type ResourceLevelResult } from './resourceLevel';
import { DEFAULT_TRAIL_FEED, measureTrailFeed, type TrailFeedResult } from './trailFeed';
import {
  FULL_WORKLOAD,
  generatedRecords,
  QUICK_WORKLOAD,
  type WorkloadSpec,
  workloadValues,
} from './workload';

export interface BenchOptions {
  quick: boolean;
  /** NDJSON file for parts 2 and 4 instead of the generated events. */
  input?: string;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** The configuration (`--config FILE`, e.g. `{"levels": {"resource": true}}`); the defaults otherwise. */
  config?: Config;
}

export interface Goal {
  figure: string;
  value: number;
  unit: string;
  goal: string;
  met: boolean | null;
}

export interface BenchResult {
  mode: 'full' | 'quick';
  workload: WorkloadSpec & { events: number };
  machine: { node: string; cpu: string; cores: number; loadAverage: number[] };
  hotPathRatio: number;
  ddbRequestsPer1kEvents: DdbRequestsResult['per1kEvents'];
  monthlyCostUsdAt1BEventsPerDay: DdbRequestsResult['monthlyCostUsdAt1BEventsPerDay'];
  /** The whole pipeline's monthly bill at 1 billion events a day (`npm run cost` with this run's measurements). */
  wholePipelineMonthlyUsdAt1BEventsPerDay: PipelineCostResult['monthlyUsdAt1BEventsPerDay'];
  /**
   * The opt-in `resource` level: firstseen's requests per 1,000 events with it off and on, on the
   * workload thinned to 20% S3 calls (`ratio` = on / off).
   */
  resourceLevel: Pick<
    ResourceLevelResult,
    'events' | 's3Share' | 'per1kOff' | 'per1kOn' | 'ratio' | 'ratioExplain'
  >;
  /** What the detector logs at the default level: per batch, and per 1,000 events beyond that. */
  logBytes: PipelineCostResult['logBytes'];
  e2eLatencyMs: { p50: number; p99: number };
  /** The trail feed: a log file's arrival to the alert, and requests per 1,000 events per `feed` setting. */
  trailFeed: Pick<TrailFeedResult, 'latencyMs' | 'requestsPer1kEvents'>;
  replayEventsPerSec: number;
  replayPeakRssMiB: number;
  /** events/s of `npm run replay --workers 2` divided by `--workers 1`, measured in this run. */
  replayScaling: ReplayScalingResult['replayScaling'];
  cacheBytesPerKey: number;
  goals: Goal[];
  details: {
    hotPath: HotPathResult;
    ddbRequests: DdbRequestsResult;
    crossCheck: CrossCheckResult;
    resourceLevel: ResourceLevelResult;
    e2e: E2eResult;
    trailFeed: TrailFeedResult;
    replay: ReplayResult;
    replayScaling: ReplayScalingResult;
    cache: CacheMemoryResult;
    pipelineCost: PipelineCostResult;
  };
  seconds: number;
}

function cpuModel(): string {
  try {
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Every part of issue 8, in order; the figures, their goals and whether each is met. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const base = options.quick ? QUICK_WORKLOAD : FULL_WORKLOAD;
  const spec: WorkloadSpec = options.input === undefined ? base : { ...base, input: options.input };
  const generated: WorkloadSpec = { ...base };
  const config = options.config ?? parseConfig({});
  const os = await import('node:os');

  log('1/5 hot path: decode -> validate -> normalise -> level keys -> cache lookup vs JSON.parse');
  const hotRecords: Record<string, unknown>[] = [];
  for (const r of generatedRecords(generated)) {
    hotRecords.push(r);
    if (hotRecords.length >= (options.quick ? 5_000 : 50_000)) break;
  }
  const hotPath = measureHotPath(toKinesisPayloads(hotRecords), options.quick ? 5 : 11);
  hotRecords.length = 0;

  log('2/5 DynamoDB requests: firstseen, hourly per-role job, per-event detector, floor');
  const ddbRequests = await measureDdbRequests(workloadValues(spec), config);
  log('    cross-check against DynamoDB Local on a sample (10,000 events; --quick 2,000)');
  const sample = await observedSample(workloadValues(spec), config, options.quick ? 2_000 : 10_000);
  const crossCheck = await crossCheckWithDynamoDbLocal(sample.sample, config, sample.events);

  log(
    `    the opt-in resource level: requests per 1,000 events off and on, the workload thinned to ${RESOURCE_WORKLOAD_S3_SHARE * 100}% S3 calls`,
  );
  const resourceLevel = await measureResourceLevel(() => workloadValues(spec), config);

  log('    whole-pipeline cost: the detector over 100-record batches, its log bytes and CPU per record');
  const pipelineCost = await measurePipelineCost(
    toKinesisPayloads(
      generatedRecords({ ...generated, days: Math.min(generated.days, options.quick ? 2 : 3) }),
    ),
    config,
    ddbRequests.per1kEvents.firstseenExplain,
  );

  log('3/5 end-to-end latency on the local stack');
  const e2e = await measureE2eLatency(
    generated,
    options.quick ? { ...DEFAULT_E2E, alerts: 50, warmupEvents: 50 } : DEFAULT_E2E,
  );

  log('    trail feed: log files -> queue -> trail reader -> Slack on the local stack');
  const trailFeed = await measureTrailFeed(
    generated,
    ddbRequests.per1kEvents.firstseen,
    e2e.pollers.batchSize,
    // The same size in both modes (see DEFAULT_TRAIL_FEED).
    DEFAULT_TRAIL_FEED,
  );

  log('4/5 replay simulate throughput and peak RSS (child process, one core)');
  const replay = await measureReplay(spec);

  log('    replay scaling: seed and simulate with 1 and 2 workers (child processes, every core)');
  const scaling = await measureReplayScaling(scalingWorkload(options.quick), scalingRounds(options.quick));

  log('5/5 cache memory per key (child process, --expose-gc)');
  const cache = await measureCacheMemory(options.quick ? 100_000 : 1_000_000);

  const r = ddbRequests.per1kEvents;
  const goals: Goal[] = [
    {
      figure: 'hotPathRatio',
      value: hotPath.ratio,
      unit: 'x JSON.parse',
      goal: '>= 0.7',
      met: hotPath.ratio >= 0.7,
    },
    {
      figure: 'ddbRequestsPer1kEvents.firstseen',
      value: r.firstseen,
      unit: 'requests',
      goal: '<= hourlyJob/20, <= perEvent/100, <= 1.5x floor',
      met: r.firstseen <= r.hourlyJob / 20 && r.firstseen <= r.perEvent / 100 && r.firstseen <= 1.5 * r.floor,
    },
    {
      // Issue 10: explanations add at most 10% to the DynamoDB requests.
      figure: 'ddbRequestsPer1kEvents.firstseenExplain',
      value: r.firstseenExplain,
      unit: 'requests',
      goal: `<= 1.10x firstseen (is ${(r.firstseenExplain / r.firstseen).toFixed(3)}x)`,
      met: r.firstseenExplain <= 1.1 * r.firstseen,
    },
    {
      figure: 'ddbRequestsPer1kEvents.hourlyJob',
      value: r.hourlyJob,
      unit: 'requests',
      goal: `>= 20x firstseen (is ${(r.hourlyJob / r.firstseen).toFixed(1)}x)`,
      met: r.firstseen <= r.hourlyJob / 20,
    },
    {
      figure: 'ddbRequestsPer1kEvents.perEvent',
      value: r.perEvent,
      unit: 'requests',
      goal: `>= 100x firstseen (is ${(r.perEvent / r.firstseen).toFixed(1)}x)`,
      met: r.firstseen <= r.perEvent / 100,
    },
    {
      figure: 'ddbRequestsPer1kEvents.floor',
      value: r.floor,
      unit: 'requests',
      goal: `firstseen <= 1.5x (is ${(r.firstseen / r.floor).toFixed(2)}x)`,
      met: r.firstseen <= 1.5 * r.floor,
    },
    {
      // Issue 23: the opt-in resource level costs at most 1.35x the requests on an S3-heavy workload.
      figure: 'ddbRequestsPer1kEvents.resourceLevelOn',
      value: resourceLevel.per1kOn.firstseen,
      unit: 'requests',
      goal: `<= 1.35x off (${resourceLevel.per1kOff.firstseen.toFixed(1)}; is ${resourceLevel.ratio.toFixed(3)}x, ${(resourceLevel.s3Share * 100).toFixed(0)}% S3)`,
      met: resourceLevel.ratio <= 1.35,
    },
    { figure: 'e2eLatencyMs.p50', value: e2e.p50, unit: 'ms', goal: '-', met: null },
    { figure: 'e2eLatencyMs.p99', value: e2e.p99, unit: 'ms', goal: '< 2000', met: e2e.p99 < 2000 },
    // From the file's arrival; CloudTrail delivers a file about every 5 minutes on top of this.
    { figure: 'trailFeed.latencyMs.p50', value: trailFeed.latencyMs.p50, unit: 'ms', goal: '-', met: null },
    { figure: 'trailFeed.latencyMs.p99', value: trailFeed.latencyMs.p99, unit: 'ms', goal: '-', met: null },
    {
      figure: 'replayEventsPerSec',
      value: replay.eventsPerSec,
      unit: 'events/s',
      goal: '>= 50000',
      met: replay.eventsPerSec >= 50_000,
    },
    {
      figure: 'replayPeakRssMiB',
      value: replay.peakRssMiB,
      unit: 'MiB',
      goal: '< 1024',
      met: replay.peakRssMiB < 1024,
    },
    {
      figure: 'replayScaling.seed',
      value: scaling.replayScaling.seed,
      unit: 'x 1 worker',
      goal: '>= 1.5 (2 workers)',
      met: scaling.replayScaling.seed >= 1.5,
    },
    {
      figure: 'replayScaling.simulate',
      value: scaling.replayScaling.simulate,
      unit: 'x 1 worker',
      goal: '>= 1.5 (2 workers)',
      met: scaling.replayScaling.simulate >= 1.5,
    },
    {
      figure: 'replayScalingPeakRssMiB',
      value: scaling.peakRssMiB,
      unit: 'MiB',
      goal: '< 1024',
      met: scaling.peakRssMiB < 1024,
    },
    {
      figure: 'cacheBytesPerKey',
      value: cache.bytesPerKey,
      unit: 'bytes',
      goal: `- (sizeCalculation charges ${Math.round(cache.sizeCalculationPerKey)})`,
      met: null,
    },
  ];
  return {
    mode: options.quick ? 'quick' : 'full',
    workload: { ...spec, events: ddbRequests.events },
    machine: {
      node: process.version,
      cpu: cpuModel(),
      cores: os.cpus().length,
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
    },
    hotPathRatio: hotPath.ratio,
    ddbRequestsPer1kEvents: r,
    monthlyCostUsdAt1BEventsPerDay: ddbRequests.monthlyCostUsdAt1BEventsPerDay,
    resourceLevel,
    wholePipelineMonthlyUsdAt1BEventsPerDay: pipelineCost.monthlyUsdAt1BEventsPerDay,
    logBytes: pipelineCost.logBytes,
    e2eLatencyMs: { p50: e2e.p50, p99: e2e.p99 },
    trailFeed: { latencyMs: trailFeed.latencyMs, requestsPer1kEvents: trailFeed.requestsPer1kEvents },
    replayEventsPerSec: replay.eventsPerSec,
    replayPeakRssMiB: replay.peakRssMiB,
    replayScaling: scaling.replayScaling,
    cacheBytesPerKey: cache.bytesPerKey,
    goals,
    details: {
      hotPath,
      ddbRequests,
      crossCheck,
      resourceLevel,
      pipelineCost,
      e2e,
      trailFeed,
      replay,
      replayScaling: scaling,
      cache,
    },
    seconds: (Date.now() - started) / 1000,
  };
}
