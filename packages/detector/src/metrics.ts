import type { DetectorCounts } from './types';

export const METRICS_NAMESPACE = 'Firstseen';

export function emptyCounts(): DetectorCounts {
  return {
    records: 0,
    observed: 0,
    ignored: 0,
    untrustedSource: 0,
    accountMismatch: 0,
    invalid: 0,
    quarantined: 0,
    processingErrors: 0,
    storeRequests: 0,
    cacheHits: 0,
    dynamodbRequests: 0,
    levelsFired: 0,
    suppressed: 0,
    alerts: 0,
    duplicateAlerts: 0,
    failed: 0,
  };
}

/**
 * One CloudWatch Embedded Metric Format line: the `_aws` metadata declares every count as a
 * Count metric in namespace Firstseen with the single dimension set [FunctionName], and the
 * values sit at the top level beside FunctionName.
 */
export function formatEmfLine(counts: DetectorCounts, functionName: string, timestamp: number): string {
  const names = Object.keys(counts) as (keyof DetectorCounts)[];
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['FunctionName']],
          Metrics: names.map((name) => ({ Name: name, Unit: 'Count' })),
        },
      ],
    },
    FunctionName: functionName,
    ...counts,
  });
}

/** Writes EMF lines to stdout, where the Lambda runtime hands them to CloudWatch Logs. */
export const stdoutMetricsSink = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
