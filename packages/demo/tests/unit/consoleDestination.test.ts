import type { AlertRecord } from '@firstseen/notify';
import { createConsoleDestination } from '../../src/consoleDestination';

function alert(overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    alertId: 'e1',
    eventId: 'e1',
    eventTime: '2024-05-14T09:21:07Z',
    principal: 'user/111122223333/alice',
    account: '111122223333',
    region: 'eu-west-1',
    action: 'iam.amazonaws.com:CreateAccessKey',
    levels: ['account', 'role', 'region'],
    severity: 'high',
    severityRule: 'sensitive-action',
    identityType: 'IAMUser',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0-kali9-amd64',
    source: 'live',
    evidence: {
      targets: [{ kind: 'user', parameter: 'userName', value: 'backdoor' }],
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      mfaAuthenticated: false,
      access: 'programmatic',
    },
    context: { explanation: 'A new access key for another user, from a new network.' },
    ...overrides,
  };
}

async function render(a: AlertRecord): Promise<string> {
  let out = '';
  const destination = createConsoleDestination({ write: (t) => (out += t) });
  await destination.sendGroup([a], 1000);
  return out;
}

describe('createConsoleDestination()', () => {
  it('prints the evidence, the user agent and the explanation of each alert', async () => {
    const out = await render(alert());
    expect(out).toContain(
      '[HIGH] iam.amazonaws.com:CreateAccessKey  levels: account, role, region  (severity rule sensitive-action)',
    );
    expect(out).toContain('user backdoor · access key AKIAIOSFODNN7EXAMPLE · MFA no · access programmatic');
    expect(out).toContain('user agent aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0-kali9-amd64');
    expect(out).toContain('why: A new access key for another user, from a new network.');
  });

  it('keeps hostile evidence on one bounded line without control characters', async () => {
    const out = await render(
      alert({
        evidence: {
          targets: [{ kind: 'user', parameter: 'userName', value: `a\n\u001b[2J\u202E${'x'.repeat(5000)}` }],
        },
      }),
    );
    const line = out.split('\n').find((l) => l.includes('user a'));
    expect(line).toBeDefined();
    expect(line).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(line?.length).toBeLessThan(300);
  });

  it('names the account and its OU path, or the id without the directory', async () => {
    const named = await render(
      alert({ accountInfo: { name: 'payments-prod', ouPath: 'Production/Payments' } }),
    );
    expect(named).toContain('account payments-prod (111122223333) [Production/Payments], eu-west-1');
    expect(await render(alert())).toContain('account 111122223333, eu-west-1');
  });

  it('keeps a hostile account name and OU path on one bounded line', async () => {
    const out = await render(
      alert({
        accountInfo: { name: `a\n\u001b[2J${'n'.repeat(5000)}`, ouPath: `\u202E${'o'.repeat(5000)}` },
      }),
    );
    const line = out.split('\n').find((l) => l.includes('account a'));
    expect(line).toBeDefined();
    expect(line).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(line!.length).toBeLessThan(500);
  });

  it('shows the resource of a resource-level alert, without control characters and bounded', async () => {
    const out: string[] = [];
    const dest = createConsoleDestination({ write: (t) => out.push(t) });
    await dest.sendGroup(
      [
        alert(),
        alert({ alertId: 'e2', eventId: 'e2', resource: `s3:evil\u001b[2J\nbucket\u202e${'x'.repeat(500)}` }),
      ],
      1000,
    );
    const text = out.join('');
    const lines = text.split('\n').filter((l) => l.includes('resource '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('resource s3:evil?[2J?bucket?xxx');
    expect(lines[0]!.length).toBeLessThan(160);
    expect(text).not.toMatch(/[\u001b\u202e]/);
  });
});
