import { type Alert, LEVELS, LevelSchema, parseAlert } from '../../src';
import { AlertSchema } from '../../src/alert';

const alert: Alert = {
  alertId: 'evt-1',
  eventId: 'evt-1',
  eventTime: '2026-01-02T03:04:05Z',
  principal: 'role/deploy',
  account: '111122223333',
  region: 'eu-west-1',
  action: 's3.amazonaws.com:PutBucketAcl',
  levels: ['account', 'role'],
  severity: 'high',
  identityType: 'AssumedRole',
  sessionName: 'ci',
  source: 'live',
  context: {},
};

describe('AlertSchema', () => {
  it('accepts the alert the detector writes, unchanged', () => {
    expect(AlertSchema.parse(alert)).toStrictEqual(alert);
  });

  it('lists the levels in one place', () => {
    expect(LEVELS).toEqual(LevelSchema.options);
  });
});

describe('parseAlert()', () => {
  it('reads an alerts-table item back as the alert that was written, without table attributes', () => {
    const item = {
      ...alert,
      pk: 'evt-1',
      createdAt: 1_700_000_000_000,
      expiresAt: 1_800_000_000,
      delivery: {},
    };

    expect(parseAlert(item)).toStrictEqual({ ...alert, createdAt: 1_700_000_000_000 });
  });

  it('takes the alertId from the table key when the item has none', () => {
    const { alertId: _, ...withoutId } = alert;

    expect(parseAlert({ ...withoutId, pk: 'evt-1' })?.alertId).toBe('evt-1');
  });

  it('drops a malformed optional detail instead of the alert', () => {
    expect(parseAlert({ ...alert, sessionName: 42, levels: 'role' })).toStrictEqual({
      ...(({ sessionName: _, ...rest }) => rest)(alert),
      levels: [],
    });
  });

  it.each([
    ['no principal', { ...alert, principal: undefined }],
    ['an unknown severity', { ...alert, severity: 'critical' }],
    ['no eventId', { ...alert, eventId: '' }],
  ])('refuses an item with %s', (_what, item) => {
    expect(parseAlert(item)).toBeUndefined();
  });
});

describe('parseAlert() with evidence', () => {
  it('keeps the evidence and severity rule as written, and drops malformed evidence without losing the alert', () => {
    const withEvidence: Alert = {
      ...alert,
      severityRule: 'sensitive-action',
      evidence: {
        targets: [{ kind: 'bucket', parameter: 'bucketName', value: 'logs' }],
        accessKeyId: 'ASIAEXAMPLE',
        mfaAuthenticated: true,
        access: 'console',
      },
    };
    expect(parseAlert({ ...withEvidence })).toStrictEqual(withEvidence);
    const odd = parseAlert({ ...alert, evidence: { targets: 'x', access: 'telepathy', accessKeyId: 7 } });
    expect(odd?.alertId).toBe('evt-1');
    expect(odd?.evidence).toEqual({ targets: undefined, access: undefined, accessKeyId: undefined });
  });
});
