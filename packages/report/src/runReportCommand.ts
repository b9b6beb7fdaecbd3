import { type Config, numberOption, parseCommandLine, parseDuration, UsageError } from '@firstseen/core';
import { addAlert, emptyTally, type TalliedAlert } from './AlertTally';
import { buildReport } from './buildReport';
import { renderReport, summaryLines } from './renderReport';

export const REPORT_USAGE = `usage: npm run report -- [--since 7d] [--out FILE.html] [--json] [options]

The report that tunes, over the live alerts table: alerts and pages per day by severity, the
median per day, levels that add up, the noisiest (principal, action) and principals, and the
ignore rules that would quiet the noisiest automation.

  --since 7d|12h|30m        alerts of this period (default 7d), by eventTime
  --out FILE.html           write the self-contained HTML report there
  --json                    print the report's numbers as JSON instead of the human summary
  --top N                   rows in each top list (default 10)
  --config FILE             the config in use (routing, ignore rules); default FIRSTSEEN_CONFIG_PATH,
                            else the local stack's, else the default configuration
  --alerts-table NAME       default FIRSTSEEN_ALERTS_TABLE, else the running local stack of \`npm start\`
  --endpoint URL            DynamoDB endpoint (default FIRSTSEEN_DYNAMODB_ENDPOINT)
  -h, --help`;

export interface ReportArgs {
  sinceMs: number;
  since: string;
  out?: string;
  json: boolean;
  top: number;
  configPath?: string;
  alertsTable?: string;
  endpoint?: string;
}

/** The command line of `npm run report`; a bad option or value throws UsageError (one line + usage, exit 2). */
export function parseReportArgs(argv: string[]): ReportArgs {
  const { values: v } = parseCommandLine(argv, {
    since: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    top: { type: 'string' },
    config: { type: 'string' },
    'alerts-table': { type: 'string' },
    endpoint: { type: 'string' },
  });
  const since = v.since ?? '7d';
  const sinceMs = parseDuration(since);
  if (sinceMs === undefined || sinceMs === 0) {
    throw new UsageError(`--since must look like 7d, 12h or 30m, got ${JSON.stringify(since)}`);
  }
  if (v.out !== undefined && !/\.html?$/i.test(v.out)) throw new UsageError('--out must name an .html file');
  for (const [name, value] of Object.entries({
    config: v.config,
    'alerts-table': v['alerts-table'],
    endpoint: v.endpoint,
  })) {
    if (value === '') throw new UsageError(`--${name} is empty`);
  }
  const args: ReportArgs = {
    since,
    sinceMs,
    json: v.json === true,
    top: numberOption('top', v.top, { integer: true, min: 1 }) ?? 10,
  };
  if (v.out !== undefined) args.out = v.out;
  if (v.config !== undefined) args.configPath = v.config;
  if (v['alerts-table'] !== undefined) args.alertsTable = v['alerts-table'];
  if (v.endpoint !== undefined) args.endpoint = v.endpoint;
  return args;
}

export interface ReportCommandDeps {
  /** Alerts written since then (epoch ms), e.g. DynamoAlertOutbox.alertsSince. */
  readAlerts(sinceMs: number): Promise<{ alerts: TalliedAlert[]; skipped: number }>;
  config: Config;
  /** Where the config came from, for the report (`default configuration` when none). */
  configSource: string;
  /** The alerts table's name, for the report's source line. */
  source: string;
  now(): number;
  writeFile(path: string, text: string): Promise<void>;
  out(line: string): void;
}

/**
 * `npm run report`: the alerts of the period through packages/report's one model and renderer.
 * Days are UTC days of eventTime; today is shown but not counted (it is not over); every whole
 * day counts (the detector already held burn-in alerts back).
 */
export async function runReportCommand(args: ReportArgs, deps: ReportCommandDeps): Promise<number> {
  const now = deps.now();
  const start = now - args.sinceMs;
  const { alerts, skipped } = await deps.readAlerts(start);
  const tally = emptyTally();
  for (const a of alerts) {
    const t = Date.parse(a.eventTime);
    if (Number.isFinite(t) && t >= start && t <= now) addAlert(tally, a, { routing: deps.config.routing });
  }
  const today = new Date(now).toISOString().slice(0, 10);
  const report = buildReport(tally, {
    title: `firstseen alerts, last ${args.since}`,
    source: `alerts table ${deps.source}; config: ${deps.configSource}`,
    config: deps.config,
    from: new Date(start).toISOString().slice(0, 10),
    to: today,
    partialFrom: today,
    periodStart: start,
    generatedAt: new Date(now),
    top: args.top,
    input: [
      { label: 'alerts in the period', value: tally.alerts },
      { label: 'items that are not alerts (skipped)', value: skipped },
      { label: 'config', value: deps.configSource },
    ],
  });
  if (args.out !== undefined) await deps.writeFile(args.out, renderReport(report));
  if (args.json) {
    deps.out(JSON.stringify(report, null, 2));
  } else {
    for (const line of summaryLines(report)) deps.out(line);
    if (args.out !== undefined) deps.out(`report: ${args.out}`);
    deps.out('(--json for the numbers, --out FILE.html for the report)');
  }
  return 0;
}
