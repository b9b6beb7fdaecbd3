import { pagerDutyDedupKey, renderPagerDutyGroup, utcDay } from '../../src';
import { hostileAlert, makeAlert } from '../helpers/alerts';

const NOW = Date.parse('2024-05-14T10:00:00Z');

describe('renderPagerDutyGroup()', () => {
  it('renders a representative alert (snapshot)', () => {
    expect(renderPagerDutyGroup([makeAlert()], 'R0UTINGKEY', NOW)).toMatchSnapshot();
  });

  it('maps severity high to critical, medium to warning and low to info', () => {
    expect(renderPagerDutyGroup([makeAlert()], 'k', NOW).payload.severity).toBe('critical');
    expect(renderPagerDutyGroup([makeAlert({ severity: 'medium' })], 'k', NOW).payload.severity).toBe(
      'warning',
    );
    expect(renderPagerDutyGroup([makeAlert({ severity: 'low' })], 'k', NOW).payload.severity).toBe('info');
  });

  it('bounds the summary to 1,024 characters and custom_details for hostile 100 KB values', () => {
    const event = renderPagerDutyGroup([hostileAlert('a'), hostileAlert('b')], 'k', NOW);
    expect(event.payload.summary.length).toBeLessThanOrEqual(1024);
    expect(event.payload.summary).not.toMatch(/[\u202E\n]/);
    expect(JSON.stringify(event).length).toBeLessThan(256_000);
    expect(event.dedup_key.length).toBeLessThanOrEqual(255);
    const resource = (event.payload.custom_details['alerts'] as { resource: string }[])[0]!.resource;
    expect(resource.startsWith('s3:<!here>line1')).toBe(true);
    expect(resource.length).toBeLessThanOrEqual(1024);
  });

  it('carries the resource of a resource-level alert in custom_details', () => {
    const event = renderPagerDutyGroup(
      [makeAlert({ levels: ['resource'], resource: 's3:payroll' })],
      'k',
      NOW,
    );
    expect(event.payload.custom_details['alerts']).toEqual([
      expect.objectContaining({ levels: ['resource'], resource: 's3:payroll' }),
    ]);
  });

  it("carries each alert's evidence, its hostile strings bounded and without control characters", () => {
    const [hostile] = renderPagerDutyGroup([hostileAlert('a')], 'k', NOW).payload.custom_details[
      'alerts'
    ] as { evidence: { targets: { value: string }[]; sessionIssuer: string } }[];
    expect(hostile?.evidence.targets[0]?.value.length).toBeLessThanOrEqual(1024);
    expect(hostile?.evidence.sessionIssuer).not.toMatch(/\u202E/);
    const [plain] = renderPagerDutyGroup([makeAlert()], 'k', NOW).payload.custom_details['alerts'] as {
      evidence: unknown;
    }[];
    expect(plain?.evidence).toMatchObject({
      targets: [{ kind: 'user', value: 'ci-bot' }],
      accessKeyId: 'ASIAY34FZKBOKMUTVV7A',
      mfaAuthenticated: false,
    });
  });
});

describe('pagerDutyDedupKey()', () => {
  it('is the same for one principal on one UTC day and differs across days', () => {
    const a = makeAlert({ eventTime: '2024-05-14T00:00:01Z' });
    const b = makeAlert({ eventTime: '2024-05-14T23:59:59Z', action: 's3.amazonaws.com:PutBucketAcl' });
    const c = makeAlert({ eventTime: '2024-05-15T00:00:00Z' });
    expect(pagerDutyDedupKey(a.principal, utcDay(a, NOW))).toBe(
      pagerDutyDedupKey(b.principal, utcDay(b, NOW)),
    );
    expect(pagerDutyDedupKey(a.principal, utcDay(a, NOW))).not.toBe(
      pagerDutyDedupKey(c.principal, utcDay(c, NOW)),
    );
  });

  it('uses the UTC day of offset event times', () => {
    expect(utcDay(makeAlert({ eventTime: '2024-05-14T23:30:00-0200' }), NOW)).toBe('2024-05-15');
  });

  it('hashes keys longer than 255 characters, stably', () => {
    const long = `role/${'x'.repeat(400)}`;
    const key = pagerDutyDedupKey(long, '2024-05-14');
    expect(key.length).toBeLessThanOrEqual(255);
    expect(key).toMatch(/^firstseen\/sha256\/[0-9a-f]{64}\/2024-05-14$/);
    expect(pagerDutyDedupKey(long, '2024-05-14')).toBe(key);
    expect(pagerDutyDedupKey(`${long}y`, '2024-05-14')).not.toBe(key);
  });

  it('hashes principals holding spaces, control, bidi or non-ASCII characters', () => {
    for (const hostile of ['saml/eve\nmallory', 'saml/\u202eevil', 'web/idp/a b', 'saml/ünïcode']) {
      const key = pagerDutyDedupKey(hostile, '2024-05-14');
      expect(key).toMatch(/^firstseen\/sha256\/[0-9a-f]{64}\/2024-05-14$/);
      expect(pagerDutyDedupKey(hostile, '2024-05-14')).toBe(key);
    }
    expect(pagerDutyDedupKey('role/deploy', '2024-05-14')).toBe('firstseen/role/deploy/2024-05-14');
  });
});
