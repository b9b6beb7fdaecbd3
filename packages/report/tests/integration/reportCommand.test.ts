import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Alert, DAY_MS } from '@firstseen/core';
import { DynamoAlertOutbox, toDocumentClient } from '@firstseen/dynamodb-store';
import {
  createDynamoDbClient,
  createTables,
  type LocalEmulators,
  startLocalEmulators,
} from '@firstseen/local-stack';
import { makeAlert } from '@firstseen/test-support';

// `npm run report` against DynamoDB Local: the real alerts table, written by the real outbox,
// read by the real Scan; the script runs as a user runs it.

const REPO = resolve(__dirname, '../../../..');
const SCRIPT = join(REPO, 'scripts/src/report.ts');

let emulators: LocalEmulators;
let client: DynamoDBClient;
let table: string;
let tmp: string;
const NOW = Date.now();
const TODAY = Math.floor(NOW / DAY_MS) * DAY_MS;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function report(args: string[]): Promise<Run> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        SCRIPT,
        '--alerts-table',
        table,
        '--endpoint',
        emulators.endpoints.dynamodb!,
        ...args,
      ],
      {
        cwd: REPO,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_REGION: 'us-east-1',
          FIRSTSEEN_LOCAL_STACK_STATE: join(tmp, 'none.json'),
          FIRSTSEEN_CONFIG_PATH: '',
        },
      },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** An alert `daysAgo` whole days before today, at 10:00 UTC. */
function alert(id: string, daysAgo: number, over: Partial<Alert> = {}): Alert {
  return makeAlert({
    alertId: id,
    eventId: id,
    eventTime: new Date(TODAY - daysAgo * DAY_MS + 10 * 3_600_000).toISOString(),
    principal: 'role/ci',
    action: 'ec2.amazonaws.com:DescribeInstances',
    levels: ['role'],
    severity: 'low',
    sensitive: false,
    ...over,
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'report-'));
  emulators = await startLocalEmulators({ dynamodb: true, s3: false, kinesis: false });
  client = createDynamoDbClient(emulators.endpoints.dynamodb!);
  table = (await createTables(client, 'report-test-')).alerts.tableName;
  const outbox = new DynamoAlertOutbox({ client, tableName: table });
  const alerts: Alert[] = [
    // 6 whole days: role/ci 2 a day, a burst of 10 by role/batch on day 4, one high page on day 3.
    ...[1, 2, 3, 4, 5, 6].flatMap((d) => [alert(`ci-${d}-a`, d), alert(`ci-${d}-b`, d)]),
    ...Array.from({ length: 10 }, (_, i) =>
      alert(`burst-${i}`, 4, { principal: 'role/batch', levels: ['account', 'role'] }),
    ),
    alert('page-1', 3, { principal: 'sso/Admin', severity: 'high', levels: ['account', 'role', 'region'] }),
    // Today: shown, not a whole day.
    alert('today-1', 0, { eventTime: new Date(NOW - 1000).toISOString() }),
  ];
  for (const a of alerts) await outbox.put(a, 365);
  // Written 20 days ago: outside the period.
  await new DynamoAlertOutbox({ client, tableName: table, clock: () => NOW - 20 * DAY_MS }).put(
    alert('old-1', 20),
    365,
  );
  // An item that is not an alert (skipped, never fatal).
  await toDocumentClient(client).send(
    new PutCommand({ TableName: table, Item: { pk: 'thread#x', createdAt: NOW } }),
  );
}, 180_000);

afterAll(async () => {
  client?.destroy();
  await emulators?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm run report -- --since 7d', () => {
  it('reports the period from the live alerts table: median per day, pages, levels that add up, suggestions', async () => {
    const r = await report(['--since', '7d', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    // 6 days x 2 + 10 + 1 page + 1 today; 'old-1' is outside the period.
    expect(rep.levels.alerts).toBe(24);
    expect(rep.levels.bySet.reduce((n: number, s: { alerts: number }) => n + s.alerts, 0)).toBe(24);
    expect(rep.levels.perLevel).toEqual({ account: 11, role: 24, region: 1, window: 0, resource: 0 });
    expect(rep.levels.overlap).toBe(12);
    // Whole days counted (6; the period's first and last days are partial): 2 a day, 12 on
    // day 4, 3 on day 3: the median is 2, the mean is more.
    expect(rep.headline.countedDays).toBe(6);
    expect(rep.headline.alertsPerDay).toBe(2);
    expect(rep.headline.meanAlertsPerDay).toBeGreaterThan(3);
    expect(rep.headline.pagesPerDay).toBe(0);
    expect(rep.days.reduce((n: number, d: { pages: number }) => n + d.pages, 0)).toBe(1);
    expect(rep.days.at(-1)).toMatchObject({ alerts: 1, counted: false });
    expect(rep.topPrincipals[0]).toMatchObject({ principal: 'role/ci', alerts: 13 });
    expect(rep.topPrincipalActions[0]).toEqual({
      principal: 'role/ci',
      action: 'ec2.amazonaws.com:DescribeInstances',
      alerts: 13,
    });
    expect(rep.suggestions).toEqual([
      { ignore: { principals: ['role/ci'] }, removes: 13, share: 13 / 24 },
      { ignore: { principals: ['role/batch'] }, removes: 10, share: 10 / 24 },
    ]);
    expect(rep.input).toContainEqual({ label: 'items that are not alerts (skipped)', value: 1 });
    expect(rep.config.routing.rules).toBeDefined();
  });

  it('writes the HTML report and ends with a short human summary', async () => {
    const out = join(tmp, 'r.html');
    const r = await report(['--since', '7d', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^24 alert\(s\) from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/),
      'per day after burn-in (median of 6 day(s)): 2 alert(s), 0 page(s)',
      'noisiest principal: "role/ci" with 13 alert(s)',
      'suggested: ignore {"principals":["role/ci"]} would remove 13 alert(s)',
      `report: ${out}`,
      '(--json for the numbers, --out FILE.html for the report)',
    ]);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<div class="big" id="projected">2</div>');
    expect(html).toContain('id="suggestions"');
  });

  it('counts pages under the routing of the config given', async () => {
    const config = join(tmp, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({ routing: { rules: [{ principals: ['role/batch'], destinations: ['pagerduty'] }] } }),
    );
    const r = await report(['--since', '7d', '--json', '--config', config]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.days.reduce((n: number, d: { pages: number }) => n + d.pages, 0)).toBe(10);
  });
});
