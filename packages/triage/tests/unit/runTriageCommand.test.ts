import { HelpRequested, InMemorySuppressionStore, UsageError } from '@firstseen/core';
import { alertFor, NOW, observed } from '@firstseen/test-support';
import { SuppressionInputError } from '../../src/errors';
import { InMemoryAlertDecisionStore } from '../../src/InMemoryAlertDecisionStore';
import { parseTriageArgs, runTriageCommand } from '../../src/runTriageCommand';

const DAY = 86_400_000;

function setup() {
  const suppressions = new InMemorySuppressionStore();
  const alerts = new InMemoryAlertDecisionStore([
    alertFor(observed({ id: 'evt-1' })),
    alertFor(observed({ id: 'evt-2' })),
  ]);
  const lines: string[] = [];
  const run = (...argv: string[]) =>
    runTriageCommand(argv, {
      suppressions,
      alerts,
      clock: () => NOW,
      out: (l) => lines.push(l),
      user: 'ops',
    });
  return { suppressions, alerts, lines, run };
}

describe('runTriageCommand()', () => {
  it('adds, lists and removes a suppression', async () => {
    const t = setup();
    expect(
      await t.run('add', '--principal', 'role/ci', '--action', 's3.amazonaws.com:PutObject', '--days', '3'),
    ).toBe(0);
    const [s] = await t.suppressions.list();
    expect(s).toMatchObject({
      principal: 'role/ci',
      action: 's3.amazonaws.com:PutObject',
      expiresAt: NOW + 3 * DAY,
      createdBy: 'cli:ops',
    });

    t.lines.length = 0;
    await t.run('list');
    expect(t.lines[0]).toContain('role/ci');

    expect(await t.run('remove', '--principal', 'role/ci', '--action', 's3.amazonaws.com:PutObject')).toBe(0);
    expect(await t.suppressions.list()).toEqual([]);
    expect(await t.run('remove', '--principal', 'role/ci', '--id', s!.id)).toBe(1);
  });

  it('hides expired suppressions from list unless --all', async () => {
    const t = setup();
    await t.suppressions.put({
      principal: 'role/old',
      id: 'principal-wide',
      expiresAt: NOW - 1,
      createdAt: 0,
      createdBy: 'x',
      reason: 'snooze',
    });
    await t.run('list');
    await t.run('list', '--all');
    expect(t.lines).toEqual(['no suppressions', expect.stringContaining('EXPIRED')]);
  });

  it('refuses an add without an expiry', async () => {
    const t = setup();
    await expect(t.run('add', '--principal', 'role/ci')).rejects.toThrow('--days');
  });

  it('refuses a principal-wide suppression of a root principal, saying why, and stores nothing', async () => {
    const t = setup();
    for (const scope of [[], ['--account', '111122223333'], ['--region', 'us-east-1']]) {
      await expect(t.run('add', '--principal', 'root/111122223333', ...scope, '--days', '7')).rejects.toThrow(
        'add: root/111122223333 is a root user: its alerts are never suppressed principal-wide; name the action (--action)',
      );
    }
    expect(await t.suppressions.list()).toEqual([]);
    expect(
      await t.run(
        'add',
        '--principal',
        'root/111122223333',
        '--action',
        'iam.amazonaws.com:CreateRole',
        '--days',
        '7',
      ),
    ).toBe(0);
    expect(await t.suppressions.list()).toHaveLength(1);
  });

  it('says that a principal-wide suppression leaves sensitive actions alerting', async () => {
    const t = setup();
    expect(await t.run('add', '--principal', 'role/ci', '--days', '7')).toBe(0);
    expect(t.lines.at(-1)).toBe(
      'note: sensitive actions of role/ci still alert (only a suppression naming the action silences one)',
    );
  });

  it('prints the decisions of the period, oldest first, and none older', async () => {
    const t = setup();
    const decision = (alertId: string, at: number, userName: string) => ({
      alertId,
      decision: 'expected' as const,
      at: new Date(at).toISOString(),
      requestKey: `${alertId}-${at}`,
      userId: 'U1',
      userName,
      teamDomain: 'example',
      channelName: 'security-alerts',
    });
    await t.alerts.record(decision('evt-1', NOW - 8 * DAY, 'old'), { escalate: false });
    await t.alerts.record(decision('evt-2', NOW - DAY, 'bob'), { escalate: false });
    await t.alerts.record(decision('evt-1', NOW - 2 * DAY, 'alice'), { escalate: false });

    expect(await t.run('audit', '--since', '7d')).toBe(0);
    const out = t.lines.join('\n').split('\n');
    expect(out).toHaveLength(2);
    expect(out[0]).toContain('alice (U1)  example/#security-alerts  alert "evt-1"');
    expect(out[1]).toContain('bob');
  });

  it("add --alert suppresses the alert's principal and action and records the decision for the audit", async () => {
    const t = setup();
    const alert = (await t.alerts.get('evt-1'))!;
    expect(await t.run('add', '--alert', 'evt-1', '--days', '7')).toBe(0);
    expect(await t.suppressions.list()).toEqual([
      expect.objectContaining({
        principal: alert.principal,
        action: alert.action,
        reason: 'expected',
        alertId: 'evt-1',
        createdBy: 'cli:ops',
        expiresAt: NOW + 7 * DAY,
      }),
    ]);
    t.lines.length = 0;
    await t.run('audit', '--since', '1d');
    expect(t.lines[0]).toContain(
      `expected    cli:ops  -  alert "evt-1" suppressed until ${new Date(NOW + 7 * DAY).toISOString()}`,
    );
  });

  it('add --alert refuses an alert that does not exist, adding nothing', async () => {
    const t = setup();
    await expect(t.run('add', '--alert', 'evt-404', '--days', '7')).rejects.toThrow('no alert "evt-404"');
    expect(await t.suppressions.list()).toEqual([]);
  });
});

describe('parseTriageArgs()', () => {
  it.each([
    [[], SuppressionInputError, 'give a command: list, add, remove, audit'],
    [['purge'], SuppressionInputError, 'unknown command "purge" (list, add, remove, audit)'],
    [['list', 'extra'], SuppressionInputError, 'unexpected argument "extra"'],
    [['list', '--bogus'], UsageError, 'unknown option --bogus'],
    [['add', '--days'], UsageError, "Option '--days <value>' argument missing"],
    [['add', '--help'], HelpRequested, 'help requested'],
  ])('refuses %j before any table is looked for', (argv, type, message) => {
    expect(() => parseTriageArgs(argv)).toThrow(type);
    expect(() => parseTriageArgs(argv)).toThrow(message);
  });
});
