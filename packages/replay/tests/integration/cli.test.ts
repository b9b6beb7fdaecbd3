import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type LocalS3, startS3rver } from '@firstseen/local-stack';
import { CHROMIUM_INSTALL_HINT, CORPUS_DIR, findChromium } from '@firstseen/test-support';

const REPO = resolve(__dirname, '../../../..');
const CORPUS = CORPUS_DIR;
const TSX = join(REPO, 'node_modules/.bin/tsx');
const SCRIPT = join(REPO, 'scripts/src/replay.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function replay(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      TSX,
      [SCRIPT, ...args],
      { cwd: REPO, env: { ...process.env, FIRSTSEEN_LOG_LEVEL: 'silent', ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'replay-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run replay', () => {
  it('simulates the shared corpus and its summary accounts for every record', async () => {
    const out = join(tmp, 'a.ndjson');
    const report = join(tmp, 'report.html');
    const run = await replay([
      CORPUS,
      '--mode',
      'simulate',
      '--burn-in-days',
      '0',
      '--out',
      out,
      '--report',
      report,
      '--json',
    ]);

    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.ndjson'));
    const lines = files.reduce(
      (n, f) =>
        n +
        readFileSync(join(CORPUS, f), 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '').length,
      0,
    );
    expect(summary.files).toBe(files.length);
    expect(summary.records).toBe(lines);
    expect(summary.observed + summary.ignored + summary.invalid + summary.filtered).toBe(lines);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(summary.ignoredReasons)).toBe(summary.ignored);
    expect(sum(summary.invalidReasons)).toBe(summary.invalid);
    const alerts = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(alerts).toHaveLength(summary.alerts);
    for (const a of alerts) {
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining([
          'eventId',
          'eventTime',
          'principal',
          'account',
          'region',
          'action',
          'levels',
          'severity',
          'context',
        ]),
      );
    }
    expect(readFileSync(report, 'utf8')).toContain('<polyline');
  });

  it('ends with a human summary and where it wrote, and leaves the injected attacks out of the projection', async () => {
    const dir = join(tmp, 'with-truth');
    mkdirSync(dir, { recursive: true });
    const rec = (id: string, role: string, eventName: string, eventTime: string) => ({
      eventVersion: '1.08',
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::111122223333:assumed-role/${role}/s`,
        accountId: '111122223333',
        sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::111122223333:role/${role}` } },
      },
      eventTime,
      eventSource: 'ec2.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      eventID: id,
      recipientAccountId: '111122223333',
    });
    const records = [
      rec('ci-1', 'ci', 'DescribeA', '2026-01-01T10:00:00Z'),
      rec('ci-2', 'ci', 'DescribeB', '2026-01-02T10:00:00Z'),
      rec('atk-1', 'victim', 'DescribeC', '2026-01-02T11:00:00Z'),
      rec('atk-2', 'victim', 'DescribeD', '2026-01-02T11:01:00Z'),
      rec('ci-3', 'ci', 'DescribeE', '2026-01-03T10:00:00Z'),
    ];
    writeFileSync(join(dir, 'events.ndjson'), `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    writeFileSync(
      join(dir, 'ground-truth.json'),
      JSON.stringify({ anomalies: [{ eventIds: ['atk-1'], relatedEventIds: ['atk-2'] }] }),
    );
    const report = join(tmp, 'truth.html');

    const human = await replay([dir, '--burn-in-days', '0', '--report', report]);
    const json = await replay([dir, '--burn-in-days', '0', '--json']);

    expect(human.code).toBe(0);
    expect(human.stdout.trim().split('\n')).toEqual([
      'simulate: 5 record(s) in 1 file(s): 5 observed, 0 ignored, 0 invalid, 0 filtered; 5 alert(s), 0 held back by burn-in',
      '5 alert(s) from 2026-01-01 to 2026-01-03 (2 of injected attacks)',
      'per day after burn-in (median of 2 day(s)): 1 alert(s), 0 page(s)',
      'noisiest principal: "role/ci" with 3 alert(s)',
      'suggested: ignore {"principals":["role/ci"]} would remove 3 alert(s)',
      `report: ${report}`,
      '(--json for the machine summary)',
    ]);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<div class="big" id="projected">1</div>');
    expect(JSON.parse(json.stdout)).toMatchObject({ alerts: 5, observed: 5 });
    expect(JSON.parse(json.stdout).tally).toBeUndefined();
  });

  it('renders the HTML report in headless Chromium with its charts', async () => {
    const chromium = findChromium();
    if (chromium === undefined) throw new Error(CHROMIUM_INSTALL_HINT);
    const report = join(tmp, 'report.html');
    if (!existsSync(report)) {
      await replay([CORPUS, '--burn-in-days', '0', '--report', report]);
    }
    const png = join(tmp, 'report.png');
    const profile = join(tmp, 'chromium-profile');
    await new Promise<void>((done, fail) =>
      execFile(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${profile}`,
          `--screenshot=${png}`,
          '--window-size=1200,900',
          `file://${report}`,
        ],
        { timeout: 60_000 },
        (err) => (err && !existsSync(png) ? fail(err) : done()),
      ),
    );
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    // A blank page compresses to a few kilobytes; charts and text do not.
    expect(statSync(png).size).toBeGreaterThan(20_000);
    if (process.env.REPLAY_KEEP_SCREENSHOT) writeFileSync(process.env.REPLAY_KEEP_SCREENSHOT, bytes);
  }, 90_000);

  it('exits non-zero for a corrupt gzip, naming it, unless --skip-bad', async () => {
    const dir = join(tmp, 'corrupt');
    mkdirSync(dir, { recursive: true });
    const record = readFileSync(join(CORPUS, 'otrf-security-datasets-aws.ndjson'), 'utf8').split('\n')[0];
    writeFileSync(join(dir, 'good.ndjson'), `${record}\n`);
    writeFileSync(
      join(dir, 'truncated.json.gz'),
      gzipSync(JSON.stringify({ Records: [JSON.parse(record!)] })).subarray(0, 30),
    );

    const strict = await replay([dir, '--json']);
    const lenient = await replay([dir, '--skip-bad', '--json']);

    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('truncated.json.gz: bad-gzip');
    expect(JSON.parse(strict.stdout)).toMatchObject({
      files: 1,
      records: 1,
      badFiles: [{ key: 'truncated.json.gz' }],
    });
    expect(lenient.code).toBe(0);
  });

  it('exits 2 with one line for a missing bucket', async () => {
    let s3: LocalS3 | undefined;
    try {
      s3 = await startS3rver();
      const run = await replay(['s3://no-such-bucket/AWSLogs/', '--endpoint-url', s3.endpoint], {
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
      });
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual(['replay: bucket no-such-bucket does not exist']);
    } finally {
      await s3?.stop();
    }
  });

  it('refuses in one line a sharded seed over a range longer than retentionDays, before touching a table', async () => {
    const run = await replay([
      CORPUS,
      '--mode',
      'seed',
      '--workers',
      '2',
      '--window-days',
      '5',
      '--retention-days',
      '10',
      '--from',
      '2024-01-01T00:00:00Z',
      '--to',
      '2024-01-21T00:00:00Z',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^replay: --from\/--to span 20 days, more than retentionDays \(10\)/);
    expect(run.stderr.trim().split('\n')[0]).toContain('give --workers 1');
  });

  it('prints the usage and exits 2 for bad arguments', async () => {
    const run = await replay([CORPUS, '--mode', 'replace']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--mode must be one of');
    expect(run.stderr).toContain('usage: npm run replay');
  });
});
