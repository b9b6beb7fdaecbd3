export type {
  CostEstimate,
  OrganizationProfile,
  OrganizationProfileInput,
  PipelineMeasurements,
  Service,
} from './estimateMonthlyCost';
export {
  DEPLOYMENT,
  estimateMonthlyCost,
  OrganizationProfileSchema,
  PipelineMeasurementsSchema,
} from './estimateMonthlyCost';
export { formatCostTable, usd } from './formatCost';
export type { CostCommand } from './parseCostArgs';
export { COST_USAGE, CostUsageError, parseCostArgs } from './parseCostArgs';
export { DAYS_PER_MONTH, PRICES } from './prices';
export type { SeedProjection, SeedProjectionInput } from './projectSeedOnAws';
export { formatSeedProjection, projectSeedOnAws, SEED_SHARD_MEASUREMENT } from './projectSeedOnAws';
export { runCostCommand } from './runCostCommand';
