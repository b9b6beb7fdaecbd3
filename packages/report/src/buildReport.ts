import {
  type Config,
  DAY_MS,
  IgnoreRulesSchema,
  LEVELS,
  type Level,
  matchIgnoreRule,
  parseConfig,
  type Severity,
} from '@firstseen/core';
import { type AlertTally, LEVEL_SET_SEPARATOR, pagingDestinations } from './AlertTally';

/** One day of the report. */
export interface ReportDay {
  day: string;
  alerts: number;
  bySeverity: Record<Severity, number>;
  pages: number;
  injected: number;
  /** Counted in the headline: past burn-in, and a whole day of the period. */
  counted: boolean;
}

/** An ignore rule in the config's own syntax, and what it would have removed from the period. */
export interface IgnoreSuggestion {
  /** Paste under the config's `ignore` (validated by the config schema). */
  ignore: { principals: string[] };
  /** Alerts of the period the rule matches (exactly those; matched by core's matchIgnoreRule). */
  removes: number;
  /** `removes` as a fraction of the period's alerts. */
  share: number;
}

export interface TuningReport {
  title: string;
  /** Where the alerts came from (a replay's source, an alerts table). */
  source: string;
  period: { from?: string; to?: string };
  generatedAt: string;
  burnIn: { days: number; endsOn?: string; note: string };
  headline: {
    /** Median alerts per counted day, injected attacks left out; undefined with no counted day. */
    alertsPerDay?: number;
    pagesPerDay?: number;
    /** The mean, shown beside the median: one incident inflates it. */
    meanAlertsPerDay?: number;
    countedDays: number;
    injectedLeftOut: number;
  };
  days: ReportDay[];
  levels: {
    alerts: number;
    perLevel: Record<Level, number>;
    /** Each alert once, by the set of levels it fired: these add up to `alerts`. */
    bySet: { levels: Level[]; alerts: number }[];
    /** Sum of perLevel minus alerts: how much the per-level rows count twice. */
    overlap: number;
  };
  pagingDestinations: string[];
  topPrincipalActions: { principal: string; action: string; alerts: number }[];
  topPrincipals: { principal: string; alerts: number; high: number; sensitive: number }[];
  suggestions: IgnoreSuggestion[];
  /** The configuration that produced the alerts and this report. */
  config: Config;
  /** Extra rows the caller adds (replay's input counts). */
  input?: { label: string; value: string | number }[];
}

export interface BuildReportOptions {
  title: string;
  source: string;
  config: Config;
  /** First and last day of the period (`YYYY-MM-DD`), zero-filled between; default the tally's days. */
  from?: string;
  to?: string;
  /**
   * Days before this instant are burn-in and not counted in the headline (replay: the first
   * event plus burnInDays). Live: undefined, the detector already held burn-in alerts back.
   */
  burnInEnd?: number;
  /** Days from this one (`YYYY-MM-DD`) on are not whole (today, for the live table): not counted. */
  partialFrom?: string;
  /** The period starts at this instant (epoch ms): a day that starts before it is not whole, not counted. */
  periodStart?: number;
  generatedAt?: Date;
  top?: number;
  maxSuggestions?: number;
  input?: { label: string; value: string | number }[];
}

/** The median of numbers (the mean of the middle two for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  const last = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= last; t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Principals a team runs as automation: IAM roles (`role/...`). People come through SSO, SAML,
 * web identity, Identity Center, IAM users and root, which an ignore rule must never hide.
 */
function isAutomation(principal: string): boolean {
  return principal.startsWith('role/');
}

/** Glob metacharacters: a principal holding one cannot be named literally by an ignore rule. */
const GLOB_META = /[*?]/;

/**
 * Ignore rules for the noisiest automation: one `ignore.principals` entry per IAM role, for
 * roles none of whose alerts was high, sensitive or injected (an ignore rule also stops learning
 * and would hide a stolen role's next move). Each rule is validated by the config schema and its
 * `removes` is counted by matching it, as the decoder would, against every principal's alerts.
 */
export function suggestIgnoreRules(tally: AlertTally, max = 5): IgnoreSuggestion[] {
  const candidates = Object.entries(tally.byPrincipal)
    .filter(
      ([p, c]) =>
        isAutomation(p) && !GLOB_META.test(p) && c.high === 0 && c.sensitive === 0 && c.injected === 0,
    )
    .sort(([pa, a], [pb, b]) => b.alerts - a.alerts || (pa < pb ? -1 : 1))
    .slice(0, max);
  return candidates.map(([principal]) => {
    const ignore = IgnoreRulesSchema.parse({ principals: [principal] });
    // The whole config must still be valid with the rule in it.
    parseConfig({ ignore }, 'suggested ignore rule');
    let removes = 0;
    for (const [p, c] of Object.entries(tally.byPrincipal)) {
      const call = { principal: p, action: '', account: '', region: '', identityType: '' };
      if (matchIgnoreRule(call, { principals: ignore.principals }) !== undefined) removes += c.alerts;
    }
    return {
      ignore: { principals: ignore.principals },
      removes,
      share: tally.alerts === 0 ? 0 : removes / tally.alerts,
    };
  });
}

/** The report's numbers from a tally; the HTML and the `--json` output both show this. */
export function buildReport(tally: AlertTally, options: BuildReportOptions): TuningReport {
  const known = Object.keys(tally.days).sort();
  const from = options.from ?? known[0];
  const to = options.to ?? known[known.length - 1];
  // A day counts once burn-in has ended by its start: the first whole day after the end.
  const ceilDay = (t: number) => new Date(Math.ceil(t / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const burnInCounted = options.burnInEnd === undefined ? undefined : ceilDay(options.burnInEnd);
  const wholeFrom = options.periodStart === undefined ? undefined : ceilDay(options.periodStart);
  const firstCounted =
    burnInCounted === undefined || (wholeFrom !== undefined && wholeFrom > burnInCounted)
      ? wholeFrom
      : burnInCounted;
  const days: ReportDay[] =
    from === undefined || to === undefined
      ? []
      : dayRange(from, to).map((day) => {
          const d = tally.days[day];
          return {
            day,
            alerts: d?.alerts ?? 0,
            bySeverity: { ...(d?.bySeverity ?? { low: 0, medium: 0, high: 0 }) },
            pages: d?.pages ?? 0,
            injected: d?.injected ?? 0,
            counted:
              (firstCounted === undefined || day >= firstCounted) &&
              (options.partialFrom === undefined || day < options.partialFrom),
          };
        });
  const counted = days.filter((d) => d.counted);
  const own = (d: ReportDay) => d.alerts - d.injected;
  const ownPages = (d: ReportDay) => d.pages - (tally.days[d.day]?.injectedPages ?? 0);
  const headline: TuningReport['headline'] = {
    countedDays: counted.length,
    injectedLeftOut: counted.reduce((n, d) => n + d.injected, 0),
  };
  if (counted.length > 0) {
    headline.alertsPerDay = median(counted.map(own));
    headline.pagesPerDay = median(counted.map(ownPages));
    headline.meanAlertsPerDay = counted.reduce((n, d) => n + own(d), 0) / counted.length;
  }
  const bySet = Object.entries(tally.byLevelSet)
    .map(([k, alerts]) => ({ levels: (k === '' ? [] : k.split(LEVEL_SET_SEPARATOR)) as Level[], alerts }))
    .sort((a, b) => b.alerts - a.alerts || a.levels.join().localeCompare(b.levels.join()));
  const perLevel = { ...tally.byLevel };
  const top = options.top ?? 10;
  const report: TuningReport = {
    title: options.title,
    source: options.source,
    period: { ...(from !== undefined && { from }), ...(to !== undefined && { to }) },
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    burnIn: {
      days: options.config.burnInDays,
      ...(burnInCounted !== undefined && { endsOn: burnInCounted }),
      note:
        options.burnInEnd === undefined
          ? 'every whole day of the period counts (the detector already held burn-in alerts back); the partial first and last days do not'
          : `days before ${burnInCounted} are burn-in (first event + burnInDays ${options.config.burnInDays}) and not counted`,
    },
    headline,
    days,
    levels: {
      alerts: tally.alerts,
      perLevel,
      bySet,
      overlap: LEVELS.reduce((n, l) => n + perLevel[l], 0) - tally.alerts,
    },
    pagingDestinations: pagingDestinations(options.config.routing),
    topPrincipalActions: Object.entries(tally.byPrincipalAction)
      .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1))
      .slice(0, top)
      .map(([k, alerts]) => {
        const i = k.indexOf('\u0000');
        return { principal: k.slice(0, i), action: k.slice(i + 1), alerts };
      }),
    topPrincipals: Object.entries(tally.byPrincipal)
      .sort(([pa, a], [pb, b]) => b.alerts - a.alerts || (pa < pb ? -1 : 1))
      .slice(0, top)
      .map(([principal, c]) => ({ principal, alerts: c.alerts, high: c.high, sensitive: c.sensitive })),
    suggestions: suggestIgnoreRules(tally, options.maxSuggestions ?? 5),
    config: options.config,
  };
  if (options.input) report.input = options.input;
  return report;
}
