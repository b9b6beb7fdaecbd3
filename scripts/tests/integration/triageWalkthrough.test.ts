import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

// The triage loop exactly as the README's "Try the triage loop locally" tells a user: `npm start`,
// send an event that alerts, `npm run triage -- add --alert <id>`, send a new event of the same
// principal and action (which alerts without the suppression: another account and region), no
// alert; `npm run triage -- audit` shows the decision. Every command runs as npm runs it (the
// script under tsx, in its own process), told nothing about the stack but where its state file
// is (FIRSTSEEN_LOCAL_STACK_STATE, so that this test and a developer's own `npm start` do not meet).

jest.setTimeout(300_000);

const REPO = resolve(__dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'firstseen-walkthrough-'));
const env = {
  ...process.env,
  FIRSTSEEN_LOCAL_STACK_STATE: join(tmp, 'local-stack.json'),
  FIRSTSEEN_SLACK_WEBHOOK_URL: '',
  FIRSTSEEN_PAGERDUTY_ROUTING_KEY: '',
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function npmRun(script: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `scripts/src/${script}.ts`, ...args],
      { cwd: REPO, env },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

/** A CloudTrail record of role/walkthrough-admin (a role is one principal in every account). */
function record(eventID: string, eventName: string, account: string, region: string) {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:admin-session',
      arn: `arn:aws:sts::${account}:assumed-role/walkthrough-admin/admin-session`,
      accountId: account,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLE',
          arn: `arn:aws:iam::${account}:role/walkthrough-admin`,
          accountId: account,
          userName: 'walkthrough-admin',
        },
      },
    },
    eventTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 'cloudtrail.amazonaws.com',
    eventName,
    awsRegion: region,
    sourceIPAddress: '192.0.2.10',
    userAgent: 'aws-cli/2.15.0',
    eventID,
    recipientAccountId: account,
  };
}

let start: ChildProcess | undefined;
let output = '';

async function waitForOutput(text: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(text)) {
    if (start?.exitCode !== null) throw new Error(`npm start exited before "${text}":\n${output}`);
    if (Date.now() > deadline) throw new Error(`"${text}" not printed within ${timeoutMs} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  if (start && start.exitCode === null) {
    const exited = new Promise((r) => start!.once('exit', r));
    start.kill('SIGINT');
    await exited;
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe('the triage loop on the local stack, as the README tells it', () => {
  it('suppresses a principal and action with triage add, then audits the decision', async () => {
    start = spawn(process.execPath, ['--import', 'tsx', 'scripts/src/local.ts'], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout?.on('data', (d: Buffer) => {
      output += d.toString('utf8');
    });
    start.stderr?.on('data', (d: Buffer) => {
      output += d.toString('utf8');
    });
    await waitForOutput('Press Ctrl-C to stop.', 240_000);

    // 1. An event that alerts (StopLogging is sensitive: it alerts even for a new principal).
    const first = join(tmp, 'stop-logging.json.gz');
    writeFileSync(
      first,
      gzipSync(JSON.stringify({ Records: [record('walk-1', 'StopLogging', '111122223333', 'us-east-1')] })),
    );
    const sent = await npmRun('send', [first]);
    expect(sent.stdout).toContain('1 events put on');
    expect(sent.stderr).toContain('send: using the local stack of `npm start`');
    await waitForOutput('event walk-1');
    const firstReadAt = Date.now();

    // 2. Expected: suppress the alert's principal and action; the commands find the stack themselves.
    const added = await npmRun('triage', ['add', '--alert', 'walk-1', '--days', '7']);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stderr.trim()).toMatch(/^triage: using the local stack of `npm start` \(pid \d+\)/);
    expect(added.stdout).toContain('role/walkthrough-admin');
    expect(added.stdout).toContain('cloudtrail.amazonaws.com:StopLogging');
    const listed = await npmRun('triage', ['list']);
    expect(listed.stdout).toContain('role/walkthrough-admin');

    // The detector re-reads a principal's suppressions at most once a minute (as in AWS).
    await new Promise((r) => setTimeout(r, Math.max(0, firstReadAt + 62_000 - Date.now())));

    // 3. The same principal and action again, in another account and region (the account and
    // region levels would fire): no alert. Then another sensitive action of the same principal,
    // which does alert: once it is printed, the suppressed event (same shard, before it) was
    // processed.
    const second = join(tmp, 'again.ndjson');
    writeFileSync(
      second,
      `${JSON.stringify(record('walk-2', 'StopLogging', '444455556666', 'eu-west-1'))}\n${JSON.stringify(
        record('walk-3', 'DeleteTrail', '444455556666', 'eu-west-1'),
      )}\n`,
    );
    expect((await npmRun('send', [second])).code).toBe(0);
    await waitForOutput('event walk-3');
    expect(output).not.toContain('event walk-2');

    // 4. The audit shows the decision.
    const audit = await npmRun('triage', ['audit', '--since', '1h']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/expected\s+cli:\S+\s.*alert "walk-1" suppressed until /);
  });

  it('redrive and replay find the same stack, each saying so in one line', async () => {
    const redrive = await npmRun('redrive', []);
    expect(redrive.code).toBe(0);
    expect(redrive.stderr).toMatch(
      /^redrive: using the local stack of `npm start` \(pid \d+\): \S+alerts\n$/,
    );
    expect(JSON.parse(redrive.stdout)).toMatchObject({ stillIncomplete: [] });

    const replay = await npmRun('replay', [
      join(tmp, 'stop-logging.json.gz'),
      '--mode',
      'reconcile',
      '--json',
    ]);
    expect(replay.code).toBe(0);
    expect(replay.stderr).toMatch(
      /^replay: using the local stack of `npm start` \(pid \d+\): \S+baseline, \S+alerts\n/,
    );
    expect(JSON.parse(replay.stdout)).toMatchObject({ observed: 1 });
  });
});
