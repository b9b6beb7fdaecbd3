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

    const strict = await replay([dir]);
    const lenient = await replay([dir, '--skip-bad']);

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

  it('prints the usage and exits 2 for bad arguments', async () => {
    const run = await replay([CORPUS, '--mode', 'replace']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--mode must be one of');
    expect(run.stderr).toContain('usage: npm run replay');
  });
});
