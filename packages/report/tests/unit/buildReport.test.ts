import { type Alert, matchIgnoreRule, parseConfig } from '@firstseen/core';
import { addAlert, buildReport, emptyTally, renderReport, summaryLines } from '../../src';
import type { TalliedAlert } from '../../src/AlertTally';
import { median } from '../../src/buildReport';

const config = parseConfig({ burnInDays: 2 });
const routing = config.routing;

let n = 0;
function alert(day: string, over: Partial<TalliedAlert> = {}): TalliedAlert {
  n++;
  return {
    alertId: `a-${n}`,
    eventTime: `${day}T12:00:00Z`,
    principal: 'role/ci-deploy',
    action: 's3.amazonaws.com:PutObject',
    levels: ['role'],
    severity: 'low',
    identityType: 'AssumedRole',
    account: '111122223333',
    region: 'us-east-1',
    ...over,
  };
}

function tallyOf(alerts: TalliedAlert[], injected: Set<string> = new Set()) {
  const t = emptyTally();
  for (const a of alerts) addAlert(t, a, { routing, injected: injected.has(a.alertId) });
  return t;
}

describe('median()', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([])).toBeUndefined();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 100])).toBe(3.5);
  });
});

describe('buildReport()', () => {
  it('heads with the median of the days past burn-in, so that one incident does not inflate it', () => {
    // Day 1-2 burn-in (10 alerts each, not counted), then 2, 3, 2, 40 (an incident), 3.
    const perDay: [string, number][] = [
      ['2026-01-01', 10],
      ['2026-01-02', 10],
      ['2026-01-03', 2],
      ['2026-01-04', 3],
      ['2026-01-05', 2],
      ['2026-01-06', 40],
      ['2026-01-07', 3],
    ];
    const t = tallyOf(perDay.flatMap(([d, k]) => Array.from({ length: k }, () => alert(d))));
    const r = buildReport(t, {
      title: 't',
      source: 's',
      config,
      burnInEnd: Date.parse('2026-01-01T08:00:00Z') + 2 * 86_400_000,
    });
    expect(r.days.map((d) => d.counted)).toEqual([false, false, false, true, true, true, true]);
    expect(r.headline.countedDays).toBe(4);
    expect(r.headline.alertsPerDay).toBe(3); // median of 3, 2, 40, 3
    expect(r.headline.meanAlertsPerDay).toBe(12);
  });

  it('leaves injected attacks out of the per-day headline and the pages', () => {
    const normal = [alert('2026-01-05'), alert('2026-01-06')];
    const attack = Array.from({ length: 11 }, () =>
      alert('2026-01-06', { principal: 'user/1/eve', severity: 'high' }),
    );
    const t = tallyOf([...normal, ...attack], new Set(attack.map((a) => a.alertId)));
    const r = buildReport(t, { title: 't', source: 's', config });
    expect(r.headline.alertsPerDay).toBe(1);
    expect(r.headline.pagesPerDay).toBe(0);
    expect(r.headline.injectedLeftOut).toBe(11);
    expect(r.days.find((d) => d.day === '2026-01-06')).toMatchObject({ alerts: 12, injected: 11, pages: 11 });
  });

  it('counts pages as the routing in use sends them to PagerDuty', () => {
    const alerts = [alert('2026-01-05', { severity: 'high' }), alert('2026-01-05', { severity: 'medium' })];
    const byDefault = buildReport(tallyOf(alerts), { title: 't', source: 's', config });
    expect(byDefault.days[0]!.pages).toBe(1);
    const mediumToo = parseConfig({
      routing: { rules: [{ severities: ['medium', 'high'], destinations: ['pagerduty'] }] },
    });
    const routed = tallyOf([]);
    for (const a of alerts) addAlert(routed, a, { routing: mediumToo.routing });
    expect(buildReport(routed, { title: 't', source: 's', config: mediumToo }).days[0]!.pages).toBe(2);
    const noPagerDuty = parseConfig({
      routing: { destinations: { slack: { type: 'slack' } }, rules: [{ destinations: ['slack'] }] },
    });
    const none = tallyOf([]);
    for (const a of alerts) addAlert(none, a, { routing: noPagerDuty.routing });
    expect(buildReport(none, { title: 't', source: 's', config: noPagerDuty }).days[0]!.pages).toBe(0);
  });

  it('counts levels so that they add up, with the overlap explained', () => {
    const t = tallyOf([
      alert('2026-01-05', { levels: ['account', 'role', 'region'] }),
      alert('2026-01-05', { levels: ['role'] }),
      alert('2026-01-05', { levels: ['role', 'window'] }),
      alert('2026-01-05', { levels: ['role'] }),
    ]);
    const r = buildReport(t, { title: 't', source: 's', config });
    expect(r.levels.alerts).toBe(4);
    expect(r.levels.bySet.reduce((s, x) => s + x.alerts, 0)).toBe(4);
    expect(r.levels.bySet[0]).toEqual({ levels: ['role'], alerts: 2 });
    expect(r.levels.perLevel).toEqual({ account: 1, role: 4, region: 1, window: 1, resource: 0 });
    expect(r.levels.overlap).toBe(7 - 4);
    expect(renderReport(r)).toContain('add up to 4');
  });

  it('ranks (principal, action) and principals by alerts raised', () => {
    const t = tallyOf([
      alert('2026-01-05', { principal: 'role/a', action: 'x:One' }),
      alert('2026-01-05', { principal: 'role/b', action: 'x:One' }),
      alert('2026-01-05', { principal: 'role/b', action: 'x:Two' }),
      alert('2026-01-06', { principal: 'role/b', action: 'x:Two' }),
    ]);
    const r = buildReport(t, { title: 't', source: 's', config });
    expect(r.topPrincipalActions[0]).toEqual({ principal: 'role/b', action: 'x:Two', alerts: 2 });
    expect(r.topPrincipals.map((p) => [p.principal, p.alerts])).toEqual([
      ['role/b', 3],
      ['role/a', 1],
    ]);
  });
});

describe('suggestIgnoreRules() via buildReport()', () => {
  const alerts: TalliedAlert[] = [
    ...Array.from({ length: 7 }, () => alert('2026-01-05', { principal: 'role/ci-deploy' })),
    ...Array.from({ length: 4 }, () => alert('2026-01-05', { principal: 'role/ci-deploy-2' })),
    ...Array.from({ length: 9 }, () => alert('2026-01-05', { principal: 'sso/Admin' })),
    ...Array.from({ length: 6 }, () =>
      alert('2026-01-06', { principal: 'role/breakglass', severity: 'high' }),
    ),
    alert('2026-01-06', { principal: 'role/odd*name' }),
  ];
  const r = buildReport(tallyOf(alerts), { title: 't', source: 's', config });

  it('suggests rules for the noisiest roles only, never people, high, sensitive or glob-like names', () => {
    expect(r.suggestions.map((s) => s.ignore.principals)).toEqual([['role/ci-deploy'], ['role/ci-deploy-2']]);
  });

  it('says exactly how many alerts each rule removes, as the config schema and the decoder read it', () => {
    for (const s of r.suggestions) {
      const parsed = parseConfig({ ignore: s.ignore });
      const removed = alerts.filter((a) => matchIgnoreRule(a as Alert, parsed.ignore) !== undefined).length;
      expect(s.removes).toBe(removed);
      expect(s.share).toBeCloseTo(removed / alerts.length);
    }
    expect(r.suggestions.map((s) => s.removes)).toEqual([7, 4]);
  });
});

describe('renderReport()', () => {
  it('escapes and bounds strings from records', () => {
    const t = tallyOf([
      alert('2026-01-05', { principal: 'saml/<script>alert(1)</script>', action: 'x'.repeat(500) }),
    ]);
    const html = renderReport(buildReport(t, { title: 't', source: 's', config }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).not.toContain('x'.repeat(200));
    expect(html).toContain('id="alerts-per-day"');
    expect(html).toContain('id="config"');
  });

  it('lists at most the latest 120 days with alerts in the table', () => {
    const alerts = Array.from({ length: 200 }, (_, i) =>
      alert(new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)),
    );
    const html = renderReport(buildReport(tallyOf(alerts), { title: 't', source: 's', config }));
    const table = html.slice(
      html.indexOf('<table id="days">'),
      html.indexOf('</table>', html.indexOf('<table id="days">')),
    );
    expect(table.match(/<tr>/g)).toHaveLength(121);
    expect(html).toContain('the latest 120 of 200');
  });

  it('ends a command with a short human summary', () => {
    const t = tallyOf([alert('2026-01-05'), alert('2026-01-06')]);
    const lines = summaryLines(buildReport(t, { title: 't', source: 's', config }));
    expect(lines[0]).toBe('2 alert(s) from 2026-01-05 to 2026-01-06');
    expect(lines[1]).toBe('per day after burn-in (median of 2 day(s)): 1 alert(s), 0 page(s)');
    expect(lines[3]).toBe('suggested: ignore {"principals":["role/ci-deploy"]} would remove 2 alert(s)');
  });
});
