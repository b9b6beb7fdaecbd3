import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');

async function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'check', '--', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run check', () => {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'firstseen-check-'));
  const stack = (name: string, lines: string[]): string => {
    const file = join(dir, `Pulumi.${name}.yaml`);
    fs.writeFileSync(
      file,
      [
        'config:',
        '  aws:region: eu-west-1',
        '  firstseen:orgId: o-a1b2c3d4e5',
        `  firstseen:targetOus: '["r-ab12"]'`,
        ...lines,
      ].join('\n'),
    );
    return file;
  };

  it('exits 0 and summarises a valid stack', async () => {
    const r = await check(
      '--stack-file',
      stack('good', [`  firstseen:regions: '["us-east-1","eu-west-1"]'`]),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {3}stack .*org o-a1b2c3d4e5, 2 regions, destinations slack, pagerduty$/m);
    expect(r.stdout).toMatch(/^ {2}warning: secret names without a prefix: FIRSTSEEN_PAGERDUTY_ROUTING_KEY/m);
  });

  it('exits 1 naming every problem of a stack, before any pulumi up', async () => {
    const r = await check(
      '--stack-file',
      stack('bad', [
        `  firstseen:regions: '["us-east-1","eu-west-9"]'`,
        '  firstseen:alarmEmial: a@example.com',
      ]),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL stack /m);
    expect(r.stdout).toMatch(
      /^ {2}firstseen:alarmEmial is not a firstseen setting \(did you mean firstseen:alarmEmail\?/m,
    );
    expect(r.stdout).toMatch(/^ {2}firstseen:regions: not an AWS region: eu-west-9/m);
  });

  it('checks a detection config alone', async () => {
    const file = join(dir, 'detection.json');
    fs.writeFileSync(file, JSON.stringify({ routing: { rules: [{ destinations: ['slak'] }] } }));
    const r = await check('--config', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/unknown destination "slak" \(known: slack, pagerduty\)/);
  });
});
