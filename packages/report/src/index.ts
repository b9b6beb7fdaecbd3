export type { AlertTally, DayCounts, PrincipalCounts, TalliedAlert } from './AlertTally';
export { addAlert, emptyTally, pagingDestinations } from './AlertTally';
export type { BuildReportOptions, IgnoreSuggestion, ReportDay, TuningReport } from './buildReport';
export { buildReport, median, suggestIgnoreRules } from './buildReport';
export { renderReport, summaryLines } from './renderReport';
export type { ReportArgs, ReportCommandDeps } from './runReportCommand';
export { parseReportArgs, REPORT_USAGE, runReportCommand } from './runReportCommand';
