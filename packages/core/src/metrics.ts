/** The CloudWatch namespace of every firstseen metric (and of the alarms on them). */
export const METRICS_NAMESPACE = 'Firstseen';

/**
 * One CloudWatch Embedded Metric Format line: the `_aws` metadata declares every count as a
 * Count metric in namespace Firstseen with the single dimension set [FunctionName], and the
 * values sit at the top level beside FunctionName. The one shape of every function's metrics.
 */
export function emfLine(
  counts: Readonly<Record<string, number>>,
  functionName: string,
  timestamp: number,
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['FunctionName']],
          Metrics: Object.keys(counts).map((Name) => ({ Name, Unit: 'Count' })),
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
