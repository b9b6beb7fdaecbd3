import { DAYS_PER_MONTH, PRICES } from '@firstseen/cost';

export { DAYS_PER_MONTH };

/** DynamoDB on-demand request prices, from the one dated price table (`@firstseen/cost`). */
export const ON_DEMAND_PRICES = {
  region: PRICES.region,
  usdPerMillionWriteRequestUnits: PRICES.dynamoDb.usdPerMillionWriteRequestUnits,
  usdPerMillionReadRequestUnits: PRICES.dynamoDb.usdPerMillionReadRequestUnits,
} as const;

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
