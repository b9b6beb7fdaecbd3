export { createCoverageClients } from './createCoverageClients';
export { CoverageArgumentError } from './errors';
export { type CoverageArgs, parseCoverageArgs, type StackOutputs, USAGE } from './parseCoverageArgs';
export { renderCoverageTable } from './renderCoverageTable';
export { type CoverageClients, runCoverageCheck } from './runCoverageCheck';
export type { CoverageReport, CoverageRow, CoverageStatus, CoverageTargets } from './types';
