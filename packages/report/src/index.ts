export type { AlertTally } from './AlertTally';
export { addAlert, emptyTally } from './AlertTally';
export type { TuningReport } from './buildReport';
export { buildReport } from './buildReport';
export { renderReport, summaryLines } from './renderReport';

export { parseReportArgs, REPORT_USAGE, runReportCommand } from './runReportCommand';
