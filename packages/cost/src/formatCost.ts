import type { CostEstimate, Service } from './estimateMonthlyCost';
import { PRICES } from './prices';

const SERVICES: [Service, string][] = [
  ['cloudtrail', 'CloudTrail (S3 data events)'],
  ['eventbridge', 'EventBridge (cross-account delivery)'],
  ['kinesis', 'Kinesis Data Streams'],
  ['lambda', 'Lambda'],
  ['dynamodb', 'DynamoDB'],
  ['kms', 'KMS'],
  ['cloudwatchLogs', 'CloudWatch Logs'],
  ['sqs', 'SQS'],
  ['s3', 'S3'],
  ['secretsManager', 'Secrets Manager'],
];

export function usd(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** One column per estimate, one row per service, the total last. */
export function formatCostTable(estimates: { label: string; estimate: CostEstimate }[]): string {
  const header = ['monthly, USD', ...estimates.map((e) => e.label)];
  const rows = SERVICES.map(([key, name]) => [
    name,
    ...estimates.map((e) => usd(e.estimate.monthlyUsd.byService[key])),
  ]);
  rows.push(['Total', ...estimates.map((e) => usd(e.estimate.monthlyUsd.total))]);
  rows.push(['Largest line', ...estimates.map((e) => e.estimate.dominant)]);
  if (estimates.some((e) => e.estimate.profile.s3DataEventsPerDay > 0)) {
    rows.push(['of which S3 data events', ...estimates.map((e) => usd(e.estimate.s3DataEventsMonthlyUsd))]);
  }
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const first = estimates[0]!.estimate;
  const p = first.profile;
  return [
    `firstseen, monthly bill at ${PRICES.region} list prices of ${PRICES.asOf}`,
    `${p.eventsPerDay.toLocaleString('en-US')} events/day, ${p.accounts} accounts x ${p.regions} regions${
      p.s3DataEventsPerDay > 0 ? `, ${p.s3DataEventsPerDay.toLocaleString('en-US')} S3 data events/day` : ''
    }`,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}
