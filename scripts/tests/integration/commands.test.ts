import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Every `npm run …` command and `npm start`, run as npm runs them (the script under tsx, in its
// own process): `--help` prints the usage, a bad command line gets one line, the usage and exit
// 2, never a stack; and what can be found wrong before the source is read is found before it.
// No local stack runs: the state file is moved to an empty folder.

jest.setTimeout(120_000);

const REPO = resolve(__dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'firstseen-commands-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  FIRSTSEEN_LOCAL_STACK_STATE: join(tmp, 'local-stack.json'),
  FIRSTSEEN_BASELINE_TABLE: '',
  FIRSTSEEN_ALERTS_TABLE: '',
  FIRSTSEEN_DYNAMODB_ENDPOINT: '',
  FIRSTSEEN_LOG_LEVEL: '',
};
delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs scripts/src/<script>.ts. stdin stays open and empty unless `stdinEnds`: a command that
 * reads `-` before its checks would then never finish (the test's timeout says so).
 */
function run(
  script: string,
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/src/${script}.ts`, ...args], {
      cwd: REPO,
      env: { ...env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${script} ${args.join(' ')} did not finish (it read its input first?)\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      done({ code, stdout, stderr });
    });
  });
}

/** One line, a blank line, the usage; nothing that looks like a stack. */
function expectRefusal(r: Run, name: string, reason: string): void {
  expect(r.code).toBe(2);
  const [first, blank, usage] = r.stderr.split('\n');
  expect(first).toBe(`${name}: ${reason}`);
  expect(blank).toBe('');
  expect(usage).toMatch(/^usage: npm (run|start)/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const COMMANDS: [script: string, name: string, usage: string][] = [
  ['local', 'npm start', 'usage: npm start'],
  ['send', 'send', 'usage: npm run send'],
  ['replay', 'replay', 'usage: npm run replay'],
  ['report', 'report', 'usage: npm run report'],
  ['generate', 'generate', 'usage: npm run generate'],
  ['bench', 'bench', 'usage: npm run bench'],
  ['chaos', 'chaos', 'usage: npm run chaos'],
  ['redrive', 'redrive', 'usage: npm run redrive'],
  ['triage', 'triage', 'usage: npm run triage'],
  ['build', 'build', 'usage: npm run build'],
  ['cost', 'cost', 'usage: npm run cost'],
  ['coverage', 'coverage', 'usage: npm run coverage'],
  ['check', 'check', 'usage: npm run check'],
];

describe('every command', () => {
  it.each(COMMANDS)('%s: --help prints the usage and exits 0', async (script, _name, usage) => {
    const r = await run(script, ['--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.startsWith(usage)).toBe(true);
  });

  it.each(COMMANDS)('%s: an unknown option gets one line, the usage and exit 2', async (script, name) => {
    expectRefusal(await run(script, ['--bogus']), name, 'unknown option --bogus');
  });

  it('npm start refuses a feed it does not know (--feed x) before starting anything', async () => {
    expectRefusal(
      await run('local', ['--feed', 'x']),
      'npm start',
      "--feed must be one of eventbridge, trail, both, got 'x'",
    );
  });

  it('report refuses a bad --since before reading anything', async () => {
    expectRefusal(
      await run('report', ['--since', 'week']),
      'report',
      '--since must look like 7d, 12h or 30m, got "week"',
    );
  });

  it('chaos refuses a bad value before starting anything', async () => {
    expectRefusal(await run('chaos', ['--seed', 'abc']), 'chaos', '--seed must be an integer, got "abc"');
  });

  it.each([
    [['--feed', 'trail'], "--feed must be eventbridge or both, got 'trail'"],
    [['--drop-eventbridge', '1.5'], '--drop-eventbridge must be below 1, got "1.5"'],
    [['--drop-eventbridge=-0.1'], '--drop-eventbridge must be at least 0, got "-0.1"'],
    [['--drop-eventbridge', 'x'], '--drop-eventbridge must be a number, got "x"'],
  ])('chaos refuses %j before starting anything', async (args, message) => {
    expectRefusal(await run('chaos', args), 'chaos', message);
  });

  it('prints no AWS SDK Node-version notice', async () => {
    const r = await run('triage', [
      'list',
      '--baseline-table',
      'b',
      '--alerts-table',
      'a',
      '--endpoint',
      'http://127.0.0.1:9',
    ]);
    expect(r.stderr).not.toContain('NodeVersionSupportWarning');
    expect(r.code).toBe(1);
  });
});

describe('commands that work on tables or a stream, with no local stack and nothing given', () => {
  it.each([
    [
      'triage',
      ['list'],
      'give --baseline-table NAME (or FIRSTSEEN_BASELINE_TABLE) and --alerts-table NAME (or FIRSTSEEN_ALERTS_TABLE)',
    ],
    ['redrive', [], 'give --table NAME (or FIRSTSEEN_ALERTS_TABLE)'],
    ['replay', ['-', '--mode', 'seed'], 'give --baseline-table NAME (or FIRSTSEEN_BASELINE_TABLE)'],
    ['replay', ['-', '--mode', 'stream'], 'give --stream-name NAME'],
    ['report', [], 'give --alerts-table NAME (or FIRSTSEEN_ALERTS_TABLE)'],
  ])('%s %j says what to pass (exit 2) without reading its input', async (script, args, what) => {
    expectRefusal(await run(script, args), script, `no local stack is running (\`npm start\`): ${what}`);
  });

  it('send says how to start one', async () => {
    const file = join(tmp, 'one.ndjson');
    writeFileSync(file, '{"eventID":"x"}\n');
    const r = await run('send', [file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^send: no running local stack \(.*\): start one with `npm start`\n$/);
  });

  it('a stale state file is reported with the fix', async () => {
    const path = join(tmp, 'local-stack.json');
    writeFileSync(
      path,
      JSON.stringify({
        pid: 2 ** 22 + 1, // above Linux's pid_max default: never a running process
        startedAt: '2026-12-06T12:00:00.000Z',
        endpoints: {
          dynamodb: 'http://127.0.0.1:9',
          s3: 'http://127.0.0.1:9',
          kinesis: 'http://127.0.0.1:9',
        },
        streamName: 's',
        alertsTable: 'a',
        baselineTable: 'b',
      }),
    );
    try {
      const r = await run('triage', ['list']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('stale local stack state');
      expect(r.stderr).toContain(`remove it (\`rm ${path}\`) and start the stack again with \`npm start\``);
    } finally {
      rmSync(path, { force: true });
    }
  });
});

describe('npm run replay finds what it can before reading the source', () => {
  it('an unwritable --report path', async () => {
    const r = await run('replay', ['-', '--report', join(tmp, 'missing-dir', 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^replay: --report .*r\.html cannot be written \(ENOENT\)\n$/);
  });

  const seedArgs = [
    '-',
    '--mode',
    'seed',
    '--baseline-table',
    'b',
    '--dynamodb-endpoint-url',
    'http://127.0.0.1:9',
  ];

  it('missing credentials (seed mode)', async () => {
    const r = await run('replay', seedArgs, {
      env: {
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_PROFILE: '',
        AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'no-credentials'),
        AWS_CONFIG_FILE: join(tmp, 'no-config'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(r.stderr).toBe(
      'replay: no AWS credentials for table b: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY\n',
    );
    expect(r.code).toBe(2);
  });

  it('a table that cannot be reached (seed mode)', async () => {
    const r = await run('replay', seedArgs, {
      env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '1' },
    });
    expect(r.stderr).toMatch(/^replay: table b cannot be used \(/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });
});

describe('npm run send', () => {
  it('refuses a file with a line that is not JSON, naming it, before sending anything', async () => {
    // No stack is needed to find this out: the inputs are read before the stack is looked for.
    const file = join(tmp, 'bad.ndjson');
    writeFileSync(file, '{"eventID":"a"}\nnot json\n');
    const r = await run('send', [file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 2 is not valid JSON');
    expect(r.stderr).toContain('nothing was sent');
  });
});

describe('npm run generate and npm run replay', () => {
  it('replay does not read the ground-truth.json that generate writes', async () => {
    const out = join(tmp, 'generated');
    const gen = await run('generate', [
      '--days',
      '1',
      '--seed',
      's',
      '--out',
      out,
      '--events-per-day',
      '200',
      '--format',
      'ndjson',
    ]);
    expect(gen.code).toBe(0);
    const r = await new Promise<Run>((done) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/src/replay.ts', out, '--burn-in-days', '0', '--json'],
        { cwd: REPO, env },
        (err, stdout, stderr) =>
          done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(r.stderr).not.toContain('ground-truth');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { objects?: unknown; records?: { invalid?: number } };
    expect(JSON.stringify(summary)).not.toContain('ground-truth');
    expect(r.stdout).toMatch(/"invalid": 0/);
  });
});
