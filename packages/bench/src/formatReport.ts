import type { ReplayScalingResult } from './replayScaling';
import type { BenchResult } from './runBench';

function num(v: number, unit: string): string {
  if (unit === 'x JSON.parse') return v.toFixed(2);
  if (unit === 'requests') return v.toFixed(1);
  if (unit === 'x 1 worker') return v.toFixed(2);
  return Math.round(v).toLocaleString('en-US');
}

/** What the hypervisor took during the scaling runs, and the ratios as if it had taken nothing. */
function stealText(d: ReplayScalingResult): string {
  if (d.stolen === undefined) return '';
  const twos = d.runs.filter((r) => r.workers === 2 && r.stolen !== undefined);
  const adjusted =
    d.stealAdjusted === undefined
      ? ''
      : `; as if nothing had been stolen (an estimate): seed ${d.stealAdjusted.seed}, simulate ${d.stealAdjusted.simulate}`;
  return `; the hypervisor took ${Math.round(d.stolen * 100)}% of the CPUs' time (2-worker runs: ${twos.map((r) => `${Math.round(r.stolen! * 100)}%`).join(', ')})${adjusted}`;
}

/** The human-readable table (Markdown) of a run: each figure, its goal, and whether it is met. */
export function formatReport(r: BenchResult): string {
  const lines: string[] = [];
  lines.push(`| Figure | Value | Goal | Met |`, `|---|---|---|---|`);
  for (const g of r.goals) {
    const met = g.met === null ? '—' : g.met ? 'yes' : '**no**';
    lines.push(
      `| \`${g.figure}\` | ${num(g.value, g.unit)} ${g.unit === 'x JSON.parse' ? '' : g.unit} | ${g.goal} | ${met} |`,
    );
  }
  const d = r.details;
  const c = r.monthlyCostUsdAt1BEventsPerDay;
  const usd = (v: number) => `$${Math.round(v).toLocaleString('en-US')}`;
  lines.push(
    '',
    `Workload: ${r.workload.input ?? `generated organization (seed ${r.workload.seed}), ${r.workload.days} days x ${r.workload.eventsPerDay.toLocaleString('en-US')} events/day`}: ${r.workload.events.toLocaleString('en-US')} events, ${d.ddbRequests.observed.toLocaleString('en-US')} observed.`,
    `Hot path: ${d.hotPath.oursPerSec.toLocaleString('en-US')} vs ${d.hotPath.jsonParsePerSec.toLocaleString('en-US')} records/s (median of ${d.hotPath.rounds} interleaved rounds, ${d.hotPath.payloads.toLocaleString('en-US')} base64 envelopes of ${d.hotPath.meanPayloadChars} chars); ${d.hotPath.baseline}.`,
    `DynamoDB requests: firstseen ${JSON.stringify(d.ddbRequests.totals.firstseen)}; explanations ${d.ddbRequests.totals.explain.total.toLocaleString('en-US')} more; floor ${JSON.stringify(d.ddbRequests.totals.floor)}; cache hit rate ${(d.ddbRequests.cacheHitRate * 100).toFixed(1)}%. ${d.ddbRequests.firstOccurrences.toLocaleString('en-US')} (account, principal, action) first occurrences, identical for firstseen, the hourly job and the per-event detector (${d.ddbRequests.sameHour} in the same hour). Cross-check: ${d.crossCheck.counted} counted = ${d.crossCheck.dynamodbLocal} sent to DynamoDB Local on ${d.crossCheck.events.toLocaleString('en-US')} events.`,
    `Monthly DynamoDB request cost at 1 billion events/day (on-demand, ${d.ddbRequests.prices.region}: $${d.ddbRequests.prices.usdPerMillionWriteRequestUnits}/M WRU, $${d.ddbRequests.prices.usdPerMillionReadRequestUnits}/M RRU): firstseen ${usd(c.firstseen)}, hourly job ${usd(c.hourlyJob)}, per-event ${usd(c.perEvent)}, floor ${usd(c.floor)}.`,
    `Whole pipeline at 1 billion events/day (\`npm run cost\` with this run's figures): ${usd(r.wholePipelineMonthlyUsdAt1BEventsPerDay.total)} a month, of which ${Object.entries(
      r.wholePipelineMonthlyUsdAt1BEventsPerDay.byService,
    )
      .filter(([, v]) => v >= 1)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${usd(v)}`)
      .join(
        ', ',
      )}. Detector: ${d.pipelineCost.detectorCpuMsPerRecord.toFixed(4)} CPU-ms per record; logs ${Math.round(r.logBytes.perBatch)} bytes per batch of 100 and ${Math.round(r.logBytes.per1kEvents)} bytes per 1,000 events beyond that; records of ${Math.round(d.pipelineCost.recordBytes)} bytes.`,
    `End-to-end: ${d.e2e.alerts} alerts from ${d.e2e.events} events offered at ${d.e2e.eventsPerSecOffered}/s after ${d.e2e.warmupEvents} warm-up events, max ${d.e2e.max} ms; pollers: batch size ${d.e2e.pollers.batchSize}, batching window ${d.e2e.pollers.maximumBatchingWindowMs} ms, idle poll ${d.e2e.pollers.kinesisIdlePollMs} ms (Kinesis) / ${d.e2e.pollers.streamsIdlePollMs} ms (DynamoDB Streams), ${d.e2e.pollers.shards} shards.`,
    `Trail feed: ${d.trailFeed.alerts} alerts from ${d.trailFeed.events} events in ${d.trailFeed.files} log files (${d.trailFeed.eventsPerFile.toFixed(1)} events per file), from a file's arrival to Slack p50 ${d.trailFeed.latencyMs.p50} ms, p99 ${d.trailFeed.latencyMs.p99} ms (CloudTrail's ~5-minute delivery comes on top); requests per 1,000 events: ${(
      ['eventbridge', 'trail', 'both'] as const
    )
      .map((f) => {
        const q = d.trailFeed.requestsPer1kEvents[f];
        return `${f} ${q.eventBridgeEvents} EventBridge + ${q.kinesisRecords} Kinesis + ${q.s3Gets.toFixed(1)} S3 GET + ${q.sqsRequests.toFixed(1)} SQS + ${q.lambdaInvocations.toFixed(1)} Lambda + ${q.dynamodb.toFixed(1)} DynamoDB`;
      })
      .join('; ')}.`,
    `Replay: ${d.replay.records.toLocaleString('en-US')} records from ${d.replay.source} in ${d.replay.cpuSeconds.toFixed(1)} CPU-s (${d.replay.seconds.toFixed(1)} s wall, ${Math.round(d.replay.eventsPerWallSec).toLocaleString('en-US')} records/wall-s)${d.replay.pinnedToOneCore ? ', pinned to one core' : ''}.`,
    `Replay scaling: ${d.replayScaling.records.toLocaleString('en-US')} records in ${d.replayScaling.files.toLocaleString('en-US')} files, ${d.replayScaling.rounds} round(s), 2 workers / 1 per round: seed ${d.replayScaling.ratios.seed.join(', ')}, simulate ${d.replayScaling.ratios.simulate.join(', ')} (the figure is the median; best of each: seed ${d.replayScaling.ratios.bestOfEach.seed}, simulate ${d.replayScaling.ratios.bestOfEach.simulate}); this machine's ceiling, two independent 1-worker simulate runs at once over one alone: ${d.replayScaling.ceiling.simulate} (rounds ${d.replayScaling.ceiling.rounds.join(', ')}); peak RSS ${Math.round(d.replayScaling.peakRssMiB)} MiB; load average ${d.replayScaling.loadAverage.before.toFixed(1)} before, ${d.replayScaling.loadAverage.after.toFixed(1)} after${stealText(d.replayScaling)}.`,
    `Cache: ${d.cache.keys.toLocaleString('en-US')} keys, heap delta ${(d.cache.heapDeltaBytes / 2 ** 20).toFixed(0)} MiB.`,
    `Machine: ${r.machine.cores} cores, ${r.machine.cpu}, Node ${r.machine.node}, load average at the end ${r.machine.loadAverage.join(' / ')}; run took ${Math.round(r.seconds)} s.`,
  );
  return `${lines.join('\n')}\n`;
}
