import { DAY_MS, LEVELS, type Level } from '@firstseen/core';
import { type DayTally, emptyDayTally, type ReplaySummary, topPrincipals, zeroByLevel } from './summary';

export interface ReportOptions {
  burnInDays: number;
  windowDays: number;
  /** Days averaged for the projection (default 7). */
  projectionDays?: number;
  generatedAt?: Date;
}

export interface Projection {
  /** First day counted as after burn-in (YYYY-MM-DD), if any. */
  from?: string;
  days: number;
  perDay: number;
  perLevel: Record<Level, number>;
}

const COLOURS: Record<Level | 'total', string> = {
  total: '#222222',
  account: '#1f77b4',
  role: '#d62728',
  region: '#2ca02c',
  window: '#9467bd',
  resource: '#ff7f0e',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function bound(s: string, n = 120): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** Every day from the first to the last day with an event or alert, with zero-filled tallies. */
export function dailySeries(summary: ReplaySummary): { day: string; tally: DayTally }[] {
  const days = Object.keys(summary.alertsByDay);
  if (summary.firstEventTime) days.push(summary.firstEventTime.slice(0, 10));
  if (summary.lastEventTime) days.push(summary.lastEventTime.slice(0, 10));
  if (days.length === 0) return [];
  days.sort();
  const first = Date.parse(`${days[0]}T00:00:00Z`);
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  const out: { day: string; tally: DayTally }[] = [];
  for (let t = first; t <= last; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({
      day,
      tally: summary.alertsByDay[day] ?? emptyDayTally(),
    });
  }
  return out;
}

/**
 * Projected alerts per day once burn-in is over: the mean of the last `projectionDays` days
 * that start at least burnInDays after the first event (the tail of the convergence curve).
 */
export function projectAlertsPerDay(summary: ReplaySummary, options: ReportOptions): Projection {
  const series = dailySeries(summary);
  const perLevel = zeroByLevel();
  if (series.length === 0 || summary.firstEventTime === undefined) return { days: 0, perDay: 0, perLevel };
  const burnInEnd = Date.parse(summary.firstEventTime) + options.burnInDays * DAY_MS;
  const eligible = series.filter(
    ({ day }) => Date.parse(`${day}T00:00:00Z`) >= burnInEnd - (burnInEnd % DAY_MS),
  );
  const tail = eligible.slice(-(options.projectionDays ?? 7));
  if (tail.length === 0) return { days: 0, perDay: 0, perLevel };
  let total = 0;
  for (const { tally } of tail) {
    total += tally.total;
    for (const l of LEVELS) perLevel[l] += tally[l] ?? 0;
  }
  for (const l of LEVELS) perLevel[l] /= tail.length;
  return { from: tail[0]!.day, days: tail.length, perDay: total / tail.length, perLevel };
}

function lineChart(series: { day: string; tally: DayTally }[], burnInDay: string | undefined): string {
  const W = 1080;
  const H = 320;
  const m = { l: 50, r: 20, t: 20, b: 40 };
  const n = series.length;
  const max = Math.max(1, ...series.map((s) => s.tally.total));
  const x = (i: number) => m.l + (n <= 1 ? 0 : (i * (W - m.l - m.r)) / (n - 1));
  const y = (v: number) => H - m.b - (v * (H - m.t - m.b)) / max;
  const parts: string[] = [];
  parts.push(`<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="#888"/>`);
  parts.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="#888"/>`);
  for (const frac of [0, 0.5, 1]) {
    const v = Math.round(max * frac);
    parts.push(`<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v}</text>`);
  }
  const labelEvery = Math.max(1, Math.ceil(n / 10));
  // Month-day labels are ambiguous once the history spans more than a year.
  const label = (day: string) => (n > 366 ? day : day.slice(5));
  series.forEach((s, i) => {
    if (i % labelEvery === 0) {
      parts.push(
        `<text x="${x(i)}" y="${H - m.b + 16}" text-anchor="middle" font-size="11">${label(s.day)}</text>`,
      );
    }
  });
  if (burnInDay !== undefined) {
    const i = series.findIndex((s) => s.day >= burnInDay);
    if (i >= 0) {
      parts.push(
        `<line x1="${x(i)}" y1="${m.t}" x2="${x(i)}" y2="${H - m.b}" stroke="#e377c2" stroke-dasharray="6 4"/>`,
        `<text x="${x(i) + 4}" y="${m.t + 12}" font-size="11" fill="#e377c2">burn-in ends</text>`,
      );
    }
  }
  for (const key of ['total', ...LEVELS] as const) {
    const points = series.map((s, i) => `${x(i).toFixed(1)},${y(s.tally[key] ?? 0).toFixed(1)}`).join(' ');
    const width = key === 'total' ? 3 : 2;
    parts.push(
      `<polyline class="series-${key}" fill="none" stroke="${COLOURS[key]}" stroke-width="${width}" points="${points}"/>`,
    );
    if (n === 1)
      parts.push(`<circle cx="${x(0)}" cy="${y(series[0]!.tally[key] ?? 0)}" r="4" fill="${COLOURS[key]}"/>`);
  }
  const legend = (['total', ...LEVELS] as const)
    .map(
      (k, i) =>
        `<rect x="${m.l + 10 + i * 110}" y="${H - 14}" width="12" height="12" fill="${COLOURS[k]}"/><text x="${m.l + 26 + i * 110}" y="${H - 4}" font-size="12">${k}</text>`,
    )
    .join('');
  return `<svg id="alerts-per-day" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="alerts per day per level">${parts.join('')}${legend}</svg>`;
}

function barChart(rows: { principal: string; newKeys: number }[]): string {
  const W = 1080;
  const rowH = 22;
  const labelW = 420;
  const H = Math.max(1, rows.length) * rowH + 10;
  const max = Math.max(1, ...rows.map((r) => r.newKeys));
  const bars = rows
    .map((r, i) => {
      const w = ((W - labelW - 80) * r.newKeys) / max;
      const yy = 5 + i * rowH;
      return `<text x="${labelW - 8}" y="${yy + 15}" text-anchor="end" font-size="12">${escapeHtml(bound(r.principal, 60))}</text><rect x="${labelW}" y="${yy + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="#1f77b4"/><text x="${labelW + w + 6}" y="${yy + 15}" font-size="12">${r.newKeys}</text>`;
    })
    .join('');
  return `<svg id="top-principals" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="top principals by new keys">${bars}</svg>`;
}

/**
 * `--report FILE.html`: one self-contained page (inline CSS and SVG, no script, no network):
 * alerts per day per level with the end of burn-in marked (the convergence curve that helps
 * choose windowDays and burnInDays), the top principals by new keys, and the projected alerts
 * per day after burn-in. Every string from the records is escaped and bounded.
 */
export function renderReport(summary: ReplaySummary, options: ReportOptions): string {
  const series = dailySeries(summary);
  const burnInDay =
    summary.firstEventTime && options.burnInDays > 0
      ? new Date(Date.parse(summary.firstEventTime) + options.burnInDays * DAY_MS).toISOString().slice(0, 10)
      : undefined;
  const projection = projectAlertsPerDay(summary, options);
  const top = topPrincipals(summary, 20);
  const levelRows = LEVELS.map(
    (l) =>
      `<tr><td>${l}</td><td>${summary.alertsByLevel[l] ?? 0}</td><td>${projection.perLevel[l].toFixed(1)}</td></tr>`,
  ).join('');
  const reasons = (r: Record<string, number>) =>
    Object.entries(r)
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => `${escapeHtml(k)} ${v}`)
      .join(', ') || 'none';
  const generated = (options.generatedAt ?? new Date()).toISOString();
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>firstseen replay report</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1120px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.muted{color:#666;font-size:13px}.big{font-size:32px;font-weight:600}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}svg{max-width:100%;height:auto;background:#fafafa;border:1px solid #eee}
</style></head><body>
<h1>firstseen replay: ${escapeHtml(summary.mode)}</h1>
<div class="muted">${escapeHtml(bound(summary.source, 200))} · events ${escapeHtml(summary.firstEventTime ?? '-')} to ${escapeHtml(summary.lastEventTime ?? '-')} · burnInDays ${options.burnInDays} · windowDays ${options.windowDays} · generated ${generated}</div>
<h2>Projected alerts per day after burn-in</h2>
<div class="big" id="projected">${projection.days > 0 ? projection.perDay.toFixed(1) : 'n/a'}</div>
<div class="muted">${projection.days > 0 ? `mean of ${projection.days} day(s) from ${projection.from}` : 'the history does not reach past burn-in'}</div>
<table><tr><th>level</th><th>alerts in history</th><th>projected per day</th></tr>${levelRows}</table>
<h2>Alerts per day per level</h2>
${series.length > 0 ? lineChart(series, burnInDay) : '<p>No events.</p>'}
<h2>Top principals by new keys</h2>
${top.length > 0 ? barChart(top) : '<p>No new keys.</p>'}
<h2>Input</h2>
<table>
<tr><td>files</td><td>${summary.files}</td></tr><tr><td>bad files</td><td>${summary.badFiles.length}</td></tr>
<tr><td>records</td><td>${summary.records}</td></tr><tr><td>observed</td><td>${summary.observed}</td></tr>
<tr><td>ignored</td><td>${summary.ignored} (${reasons(summary.ignoredReasons)})</td></tr>
<tr><td>invalid</td><td>${summary.invalid} (${reasons(summary.invalidReasons)})</td></tr>
<tr><td>filtered</td><td>${summary.filtered}</td></tr><tr><td>alerts</td><td>${summary.alerts}</td></tr>
<tr><td>held back by burn-in</td><td>${summary.suppressedByBurnIn}</td></tr>
</table>
</body></html>
`;
}
