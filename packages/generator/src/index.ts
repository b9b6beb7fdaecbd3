export { accountDirectoryOf } from './accountDirectory';

export { createOrganization } from './createOrganization';
export { GeneratorOptionsError } from './errors';
export { GENERATE_USAGE, runGenerateCommand } from './generateCommand';
export { generateEvents } from './generateEvents';
export { planAnomalies } from './planAnomalies';
export { Prng } from './prng';
export type { Period } from './splitPeriod';
export { splitPeriod } from './splitPeriod';
export type { AnomalyPlan, CloudTrailRecord, GroundTruthEntry, Organization, ScenarioName } from './types';
export { RESOURCE_SCENARIOS, SCENARIO_NAMES } from './types';
export { cloudTrailObjectKey, toCloudTrailFiles, writeCloudTrailS3Layout } from './writeCloudTrailS3Layout';
export { writeNdjson } from './writeNdjson';
