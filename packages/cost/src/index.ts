export type { CostEstimate, PipelineMeasurements } from './estimateMonthlyCost';
export { estimateMonthlyCost } from './estimateMonthlyCost';

export { DAYS_PER_MONTH, PRICES } from './prices';

export { runCostCommand } from './runCostCommand';
