import { type CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { type LambdaClient, paginateListEventSourceMappings } from '@aws-sdk/client-lambda';
import type { CoverageRow, CoverageTargets } from './types';

/**
 * The detector's Kinesis event source mapping: Enabled, its last processing result, and its
 * IteratorAge (maximum over the last 15 minutes; above the alarm threshold the detector is
 * falling behind and records approach the failure bucket).
 */
export async function checkStreamConsumer(
  lambda: LambdaClient,
  cloudwatch: CloudWatchClient,
  targets: Pick<CoverageTargets, 'detectorFunctionName' | 'iteratorAgeLimitMs'>,
  now: number,
): Promise<CoverageRow[]> {
  const rows: CoverageRow[] = [];
  const fn = targets.detectorFunctionName;
  let found = 0;
  for await (const page of paginateListEventSourceMappings({ client: lambda }, { FunctionName: fn })) {
    for (const m of page.EventSourceMappings ?? []) {
      if (!m.EventSourceArn?.includes(':kinesis:')) continue;
      found++;
      const ok = m.State === 'Enabled';
      rows.push({
        check: 'stream-consumer',
        target: `${fn} ${m.UUID}`,
        status: ok ? 'ok' : 'gap',
        detail:
          `state ${m.State}` +
          (m.StateTransitionReason ? ` (${m.StateTransitionReason})` : '') +
          (m.LastProcessingResult ? `, last result ${m.LastProcessingResult}` : ''),
      });
    }
  }
  if (found === 0) {
    rows.push({
      check: 'stream-consumer',
      target: fn,
      status: 'gap',
      detail: 'no Kinesis event source mapping',
    });
    return rows;
  }
  const stats = await cloudwatch.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: fn }],
      StartTime: new Date(now - 15 * 60_000),
      EndTime: new Date(now),
      Period: 60,
      Statistics: ['Maximum'],
    }),
  );
  const ages = (stats.Datapoints ?? []).map((d) => d.Maximum ?? 0);
  const age = ages.length ? Math.max(...ages) : undefined;
  rows.push({
    check: 'stream-consumer',
    target: `${fn} IteratorAge`,
    status: age !== undefined && age > targets.iteratorAgeLimitMs ? 'gap' : 'ok',
    detail:
      age === undefined
        ? 'no datapoint in the last 15 minutes (no records read)'
        : `max ${Math.round(age / 1000)} s over 15 minutes (limit ${Math.round(targets.iteratorAgeLimitMs / 1000)} s)`,
  });
  return rows;
}
