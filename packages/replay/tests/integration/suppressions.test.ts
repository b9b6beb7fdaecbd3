import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const SCRIPT = join(REPO, 'scripts/src/replay.ts');
const ACCOUNT = '111122223333';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function replay(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      TSX,
      [SCRIPT, ...args],
      { cwd: REPO, env: { ...process.env, FIRSTSEEN_LOG_LEVEL: 'silent' } },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

function record(eventID: string, user: string, eventSource: string, eventName: string, eventTime: string) {
  return {
    eventVersion: '1.08',
    eventID,
    eventTime,
    eventSource,
    eventName,
    eventType: 'AwsApiCall',
    awsRegion: 'eu-west-1',
    recipientAccountId: ACCOUNT,
    sourceIPAddress: '192.0.2.1',
    userAgent: 'aws-cli/2.15',
    userIdentity: {
      type: 'IAMUser',
      userName: user,
      accountId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:user/${user}`,
    },
  };
}

/**
 * alice's first PutBucketPolicy falls inside her suppression; her second comes after it has
 * expired, so it alerts only if the suppressed event failed to teach the baseline its keys.
 */
const RECORDS = [
  record('alice-put-1', 'alice', 's3.amazonaws.com', 'PutBucketPolicy', '2025-06-01T10:00:00Z'),
  record('bob-put-1', 'bob', 's3.amazonaws.com', 'PutBucketPolicy', '2025-06-01T10:05:00Z'),
  record('alice-put-2', 'alice', 's3.amazonaws.com', 'PutBucketPolicy', '2025-06-03T10:00:00Z'),
  record('alice-role-1', 'alice', 'iam.amazonaws.com', 'CreateRole', '2025-06-03T11:00:00Z'),
];

let tmp: string;
let source: string;
let suppressions: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'replay-suppressions-'));
  source = join(tmp, 'events.ndjson');
  writeFileSync(source, `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`);
  suppressions = join(tmp, 'suppressions.json');
  writeFileSync(
    suppressions,
    JSON.stringify([
      {
        principal: `user/${ACCOUNT}/alice`,
        action: 's3.amazonaws.com:PutBucketPolicy',
        expiresAt: '2025-06-02T00:00:00Z',
        reason: 'expected',
      },
    ]),
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function simulatedAlertIds(extra: string[], out: string): Promise<{ ids: string[]; summary: Run }> {
  const run = await replay([
    source,
    '--mode',
    'simulate',
    '--burn-in-days',
    '0',
    '--out',
    out,
    '--json',
    ...extra,
  ]);
  expect(run.code).toBe(0);
  const ids = readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { eventId: string }).eventId);
  return { ids, summary: run };
}

describe('npm run replay -- --suppressions FILE', () => {
  it('alerts on every first occurrence without a suppressions file', async () => {
    const { ids, summary } = await simulatedAlertIds([], join(tmp, 'plain.ndjson'));

    expect(ids).toEqual(['alice-put-1', 'bob-put-1', 'alice-role-1']);
    expect(JSON.parse(summary.stdout).suppressedByTriage).toBeUndefined();
  });

  it('suppresses the matching alert in simulate and still learns its keys', async () => {
    const { ids, summary } = await simulatedAlertIds(
      ['--suppressions', suppressions],
      join(tmp, 'suppressed.ndjson'),
    );

    // alice-put-1 suppressed; alice-put-2 (after the expiry) is already known, so silent too.
    expect(ids).toEqual(['bob-put-1', 'alice-role-1']);
    const parsed = JSON.parse(summary.stdout);
    expect(parsed.suppressedByTriage).toBe(1);
    expect(parsed.alerts).toBe(2);
  });

  it('exits 2 with one line for an invalid suppressions file', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ principal: 'role/x' }]));

    const run = await replay([source, '--burn-in-days', '0', '--suppressions', bad]);

    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('expiresAt');
  });
});
