/**
 * DynamoDB on-demand request prices, US East (N. Virginia), as published since the on-demand
 * price reduction of 1 November 2024 (AWS News Blog "Amazon DynamoDB On-Demand", updated
 * 31 January 2025; aws.amazon.com/dynamodb/pricing/on-demand/).
 */
export const ON_DEMAND_PRICES = {
  region: 'us-east-1',
  usdPerMillionWriteRequestUnits: 0.625,
  usdPerMillionReadRequestUnits: 0.125,
} as const;

/** Days in an average month. */
export const DAYS_PER_MONTH = 365 / 12;

export interface RequestMix {
  /** Write requests per 1,000 events (items under 1 KB: 1 WRU each, failed conditions included). */
  writesPer1k: number;
  /** Eventually consistent GetItem per 1,000 events (items under 4 KB: 0.5 RRU each). */
  readsPer1k: number;
}

/** Monthly request cost in USD at `eventsPerDay`, assuming the measured per-event ratios hold. */
export function monthlyCostUsd(mix: RequestMix, eventsPerDay = 1e9): number {
  const events = eventsPerDay * DAYS_PER_MONTH;
  const wru = (mix.writesPer1k / 1000) * events;
  const rru = (mix.readsPer1k / 1000) * events * 0.5;
  return (
    (wru / 1e6) * ON_DEMAND_PRICES.usdPerMillionWriteRequestUnits +
    (rru / 1e6) * ON_DEMAND_PRICES.usdPerMillionReadRequestUnits
  );
}
