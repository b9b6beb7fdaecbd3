export { createCoverageClients } from './createCoverageClients';
export { CoverageArgumentError } from './errors';
export { parseCoverageArgs, type StackOutputs, USAGE } from './parseCoverageArgs';
export { renderCoverageTable } from './renderCoverageTable';
export { runCoverageCheck } from './runCoverageCheck';
