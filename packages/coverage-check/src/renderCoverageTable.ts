import type { CoverageReport } from './types';

const HEADERS = ['CHECK', 'TARGET', 'STATUS', 'DETAIL'] as const;

/** One plain-text table, gaps and errors first, and a closing verdict line. */
export function renderCoverageTable(report: CoverageReport): string {
  const order = { error: 0, gap: 1, ok: 2 } as const;
  const rows = [...report.rows]
    .sort((a, b) => order[a.status] - order[b.status])
    .map((r) => [r.check, r.target, r.status.toUpperCase(), r.detail]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const gaps = report.rows.filter((r) => r.status !== 'ok').length;
  return [
    line(HEADERS),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    report.ok ? 'coverage: no gap found' : `coverage: ${gaps} gap(s) or error(s)`,
  ].join('\n');
}
