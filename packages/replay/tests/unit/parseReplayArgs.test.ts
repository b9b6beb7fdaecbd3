import { defaultConfig, HelpRequested } from '@firstseen/core';
import { addAlert, emptyTally, renderReport } from '@firstseen/report';
import { parseReplayArgs, ReplayArgumentError, replayReport } from '../../src';
import { outsideFilters } from '../../src/recordFilter';
import { emptySummary } from '../../src/summary';

describe('parseReplayArgs()', () => {
  it('parses a full command line', () => {
    const args = parseReplayArgs([
      's3://trail-bucket/AWSLogs/',
      '--mode',
      'reconcile',
      '--accounts',
      '111122223333,444455556666',
      '--regions',
      'eu-west-1',
      '--from',
      '2024-01-01',
      '--to',
      '2024-02-01T12:00:00Z',
      '--burn-in-days',
      '0',
      '--baseline-table',
      'b',
      '--alerts-table',
      'a',
      '--skip-bad',
    ]);
    expect(args).toMatchObject({
      source: 's3://trail-bucket/AWSLogs/',
      mode: 'reconcile',
      filters: {
        accounts: ['111122223333', '444455556666'],
        regions: ['eu-west-1'],
        from: Date.UTC(2024, 0, 1),
        to: Date.UTC(2024, 1, 1, 12),
      },
      overrides: { burnInDays: 0 },
      baselineTable: 'b',
      alertsTable: 'a',
      skipBad: true,
    });
  });

  it('takes --suppressions for simulate and reconcile', () => {
    expect(parseReplayArgs(['x', '--suppressions', 's.json']).suppressions).toBe('s.json');
    const reconcile = ['x', '--mode', 'reconcile', '--baseline-table', 'b', '--alerts-table', 'a'];
    expect(parseReplayArgs([...reconcile, '--suppressions', 's.json']).suppressions).toBe('s.json');
  });

  it.each([
    [[], 'missing <source>'],
    [['x', '--mode', 'replace'], '--mode must be one of'],
    [['x', '--window-days', 'ten'], '--window-days must be a whole number'],
    [['x', '--from', 'yesterday'], '--from must be an ISO 8601'],
    [
      ['x', '--mode', 'stream', '--baseline-table', 'b'],
      '--baseline-table is for --mode seed or reconcile or simulate',
    ],
    [['x', '--mode', 'seed', '--alerts-table', 'a'], '--alerts-table is for --mode reconcile'],
    [['x', '--mode', 'seed', '--stream-name', 's'], '--stream-name is for --mode stream'],
    [['x', '--unknown'], 'unknown option --unknown'],
    [['x', '--mode', 'seed', '--baseline-table', 'b', '--suppressions', 's.json'], '--suppressions is for'],
  ])('rejects %j with ReplayArgumentError', (argv, message) => {
    expect(() => parseReplayArgs(argv)).toThrow(ReplayArgumentError);
    expect(() => parseReplayArgs(argv)).toThrow(message);
  });

  it('leaves the tables and stream of seed, reconcile and stream to be found later', () => {
    // The options, the environment or the running local stack (resolveTargets in the script).
    expect(parseReplayArgs(['x', '--mode', 'seed'])).toMatchObject({ mode: 'seed' });
    expect(parseReplayArgs(['x', '--mode', 'stream']).streamName).toBeUndefined();
  });

  it('answers --help with HelpRequested, even beside a bad option', () => {
    expect(() => parseReplayArgs(['--help'])).toThrow(HelpRequested);
    expect(() => parseReplayArgs(['x', '--mode', 'replace', '-h'])).toThrow(HelpRequested);
  });
});

describe('outsideFilters()', () => {
  const record = {
    recipientAccountId: '111122223333',
    awsRegion: 'eu-west-1',
    eventTime: '2024-01-02T00:00:00Z',
  };

  it('filters bare records and envelopes by account, region and eventTime', () => {
    expect(outsideFilters(record, { accounts: ['444455556666'] })).toBe(true);
    expect(outsideFilters({ 'detail-type': 'x', detail: record }, { regions: ['us-east-1'] })).toBe(true);
    expect(outsideFilters(record, { from: Date.UTC(2024, 0, 2), to: Date.UTC(2024, 0, 3) })).toBe(false);
    expect(outsideFilters(record, { to: Date.UTC(2024, 0, 2) })).toBe(true);
  });

  it('never filters out a record whose fields are missing (validation reports it)', () => {
    expect(outsideFilters({ eventTime: 'bad' }, { from: 0, accounts: ['444455556666'] })).toBe(false);
  });
});

describe('replayReport()', () => {
  it('escapes principal names taken from records', () => {
    const config = defaultConfig();
    const summary = emptySummary('simulate', 's3://b/');
    summary.firstEventTime = '2024-01-01T00:00:00.000Z';
    summary.lastEventTime = '2024-01-02T00:00:00.000Z';
    summary.tally = emptyTally();
    addAlert(
      summary.tally,
      {
        alertId: 'a',
        eventTime: '2024-01-02T00:00:00Z',
        principal: 'saml/<script>alert(1)</script>',
        action: 'x:Y',
        levels: ['account'],
        severity: 'low',
        identityType: 'SAMLUser',
      },
      { routing: config.routing },
    );
    const html = renderReport(replayReport(summary, { ...config, burnInDays: 0 }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('id="alerts-per-day"');
  });
});
