import { LEVELS } from '@firstseen/core';
import type { ReportDay, TuningReport } from './buildReport';

const SEVERITY_COLOURS = { low: '#9ecae1', medium: '#fd8d3c', high: '#d62728' } as const;
const SEVERITIES = ['low', 'medium', 'high'] as const;
/** Most rows in the per-day table. */
const DAY_ROWS = 120;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escaped and bounded: principals and actions come from records (attacker-controlled). */
function text(s: string, n = 120): string {
  return escapeHtml(s.length <= n ? s : `${s.slice(0, n - 1)}…`);
}

function fixed(n: number | undefined): string {
  return n === undefined ? 'n/a' : Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Alerts per day stacked by severity, pages per day as a line, burn-in days shaded. */
function dayChart(days: ReportDay[]): string {
  const W = 1080;
  const H = 320;
  const m = { l: 50, r: 20, t: 20, b: 44 };
  const n = days.length;
  const max = Math.max(1, ...days.map((d) => d.alerts));
  const step = (W - m.l - m.r) / Math.max(1, n);
  const barW = Math.max(1, step * 0.8);
  const x = (i: number) => m.l + i * step;
  const y = (v: number) => H - m.b - (v * (H - m.t - m.b)) / max;
  const parts: string[] = [];
  parts.push(`<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="#888"/>`);
  parts.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="#888"/>`);
  for (const frac of [0, 0.5, 1]) {
    const v = Math.round(max * frac);
    parts.push(`<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v}</text>`);
  }
  const labelEvery = Math.max(1, Math.ceil(n / 10));
  days.forEach((d, i) => {
    if (!d.counted) {
      parts.push(
        `<rect class="not-counted" x="${x(i).toFixed(1)}" y="${m.t}" width="${step.toFixed(1)}" height="${H - m.t - m.b}" fill="#f0f0f0"/>`,
      );
    }
    let base = 0;
    for (const s of SEVERITIES) {
      const v = d.bySeverity[s];
      if (v === 0) continue;
      parts.push(
        `<rect class="sev-${s}" x="${x(i).toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${SEVERITY_COLOURS[s]}"/>`,
      );
      base += v;
    }
    if (i % labelEvery === 0) {
      parts.push(
        `<text x="${(x(i) + barW / 2).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle" font-size="11">${n > 366 ? d.day : d.day.slice(5)}</text>`,
      );
    }
  });
  const points = days.map((d, i) => `${(x(i) + barW / 2).toFixed(1)},${y(d.pages).toFixed(1)}`).join(' ');
  parts.push(
    `<polyline class="series-pages" fill="none" stroke="#222" stroke-width="2" points="${points}"/>`,
  );
  const legend = [
    ...SEVERITIES.map((s) => [s, SEVERITY_COLOURS[s]] as const),
    ['pages (line)', '#222'] as const,
    ['not counted (burn-in, partial day)', '#f0f0f0'] as const,
  ]
    .map(
      ([k, c], i) =>
        `<rect x="${m.l + 10 + i * 150}" y="${H - 16}" width="12" height="12" fill="${c}" stroke="#bbb"/><text x="${m.l + 26 + i * 150}" y="${H - 6}" font-size="12">${k}</text>`,
    )
    .join('');
  return `<svg id="alerts-per-day" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="alerts per day by severity and pages per day">${parts.join('')}${legend}</svg>`;
}

function table(head: string[], rows: string[][], id?: string): string {
  const th = head.map((h) => `<th>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<table${id ? ` id="${id}"` : ''}><tr>${th}</tr>${body}</table>`;
}

/**
 * The report as one self-contained page (inline CSS and SVG, no script, no network), the one
 * renderer of replay's `--report` and `npm run report`. Every string from records or the alerts
 * table is escaped and bounded.
 */
export function renderReport(report: TuningReport): string {
  const h = report.headline;
  const paging = report.pagingDestinations;
  const pagingNote =
    paging.length === 0
      ? 'the routing in use sends nothing to PagerDuty'
      : `alerts the routing in use sends to ${paging.map((p) => text(p, 40)).join(', ')}`;
  // Days without an alert are in the chart; the table lists the days with alerts (the latest ones).
  const alertDays = report.days.filter((d) => d.alerts > 0);
  const shownDays = alertDays.slice(-DAY_ROWS);
  const dayRows = shownDays.map((d) => [
    d.day + (d.counted ? '' : ' *'),
    ...SEVERITIES.map((s) => String(d.bySeverity[s])),
    String(d.alerts),
    String(d.pages),
    String(d.injected),
  ]);
  const lv = report.levels;
  const levelRows = LEVELS.map((l) => [l, String(lv.perLevel[l])]);
  const setRows = lv.bySet.map((s) => [s.levels.join(' + ') || '(none)', String(s.alerts)]);
  const suggestions = report.suggestions.map((s) => [
    `<code>${text(JSON.stringify({ ignore: s.ignore }), 200)}</code>`,
    String(s.removes),
    `${(s.share * 100).toFixed(1)}%`,
  ]);
  const input = report.input?.map((r) => [escapeHtml(r.label), text(String(r.value), 200)]);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${text(report.title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1120px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.muted{color:#666;font-size:13px}.big{font-size:32px;font-weight:600}.row{display:flex;gap:48px}
table{border-collapse:collapse;font-size:13px;margin:4px 0}td,th{border:1px solid #ddd;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}svg{max-width:100%;height:auto;background:#fafafa;border:1px solid #eee}
pre{background:#f6f6f6;padding:8px;font-size:12px;overflow:auto;max-height:420px}
</style></head><body>
<h1>${text(report.title)}</h1>
<div class="muted">${text(report.source, 200)} · ${escapeHtml(report.period.from ?? '-')} to ${escapeHtml(report.period.to ?? '-')} · burnInDays ${report.config.burnInDays} · windowDays ${report.config.windowDays} · generated ${escapeHtml(report.generatedAt)}</div>
<div class="row">
<div><h2>Alerts per day</h2><div class="big" id="projected">${fixed(h.alertsPerDay)}</div></div>
<div><h2>Pages per day</h2><div class="big" id="pages">${fixed(h.pagesPerDay)}</div></div>
</div>
<div class="muted">${
    h.countedDays > 0
      ? `median of ${h.countedDays} counted day(s) (mean ${fixed(h.meanAlertsPerDay)}: one incident inflates a mean, not a median); ${h.injectedLeftOut} alert(s) of injected attacks left out; pages: ${pagingNote}`
      : 'no day to count: the period does not reach past burn-in'
  }. ${escapeHtml(report.burnIn.note)}.</div>
<h2>Alerts per day by severity</h2>
${report.days.length > 0 ? dayChart(report.days) : '<p>No alerts.</p>'}
<p class="muted">Days with alerts${alertDays.length > shownDays.length ? ` (the latest ${shownDays.length} of ${alertDays.length})` : ''}; * marks a day not counted in the headline.</p>
${table(['day', 'low', 'medium', 'high', 'alerts', 'pages', 'injected'], dayRows, 'days')}
<h2>Levels</h2>
<p class="muted">${lv.alerts} alert(s). An alert can fire at several levels: it counts once below by its set of levels (these rows add up to ${lv.alerts}), and once at each of its levels on the right (those rows add up to ${lv.alerts + lv.overlap}, ${lv.overlap} more than the alerts: the overlap).</p>
<div class="row">${table(['levels fired together', 'alerts'], setRows, 'level-sets')}${table(['level', 'alerts with it'], levelRows, 'levels')}</div>
<h2>Top (principal, action) by alerts raised</h2>
${table(
  ['principal', 'action', 'alerts'],
  report.topPrincipalActions.map((r) => [text(r.principal, 80), text(r.action, 80), String(r.alerts)]),
  'top-principal-actions',
)}
<h2>Top principals by alerts raised</h2>
${table(
  ['principal', 'alerts', 'high', 'sensitive'],
  report.topPrincipals.map((r) => [
    text(r.principal, 80),
    String(r.alerts),
    String(r.high),
    String(r.sensitive),
  ]),
  'top-principals',
)}
<h2>Suggested ignore rules</h2>
<p class="muted">For the noisiest IAM roles none of whose alerts was high, sensitive or injected. An ignore rule drops the role's events entirely (nothing is learned or alerted, sensitive actions included): prefer a triage suppression of one (principal, action) where that is enough.</p>
${suggestions.length > 0 ? table(['add to the config', 'alerts it would have removed', 'of all alerts'], suggestions, 'suggestions') : '<p>None.</p>'}
${input ? `<h2>Input</h2>${table(['', ''], input, 'input')}` : ''}
<h2>Configuration that produced it</h2>
<pre id="config">${escapeHtml(JSON.stringify(report.config, null, 2))}</pre>
</body></html>
`;
}

/** The short human summary a command prints at its end (replay, `npm run report`). */
export function summaryLines(report: TuningReport): string[] {
  const h = report.headline;
  const lines = [
    `${report.levels.alerts} alert(s) from ${report.period.from ?? '-'} to ${report.period.to ?? '-'}` +
      (report.headline.injectedLeftOut > 0
        ? ` (${report.headline.injectedLeftOut} of injected attacks)`
        : ''),
    h.countedDays > 0
      ? `per day after burn-in (median of ${h.countedDays} day(s)): ${fixed(h.alertsPerDay)} alert(s), ${fixed(h.pagesPerDay)} page(s)`
      : 'per day: n/a (the period does not reach past burn-in)',
  ];
  const top = report.topPrincipals[0];
  if (top)
    lines.push(
      `noisiest principal: ${JSON.stringify(top.principal.slice(0, 120))} with ${top.alerts} alert(s)`,
    );
  const s = report.suggestions[0];
  if (s) lines.push(`suggested: ignore ${JSON.stringify(s.ignore)} would remove ${s.removes} alert(s)`);
  return lines;
}
