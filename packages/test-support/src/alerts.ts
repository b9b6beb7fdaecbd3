import type { Alert } from '@firstseen/core';

/** A representative alert; override any field. */
export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  const eventId = overrides.eventId ?? overrides.alertId ?? '3f1e0a52-8c1b-4d6e-9a57-0c4f1d2b7e11';
  return {
    alertId: eventId,
    eventId,
    eventTime: '2024-05-14T09:21:07Z',
    principal: 'role/deploy',
    account: '111122223333',
    region: 'eu-west-1',
    action: 'iam.amazonaws.com:CreateAccessKey',
    levels: ['account', 'role', 'region'],
    severity: 'high',
    severityRule: 'sensitive-action',
    identityType: 'AssumedRole',
    sessionName: 'alice@example.com',
    sourceIdentity: 'alice',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
    sensitive: true,
    source: 'live',
    evidence: {
      targets: [{ kind: 'user', parameter: 'userName', value: 'ci-bot' }],
      accessKeyId: 'ASIAY34FZKBOKMUTVV7A',
      mfaAuthenticated: false,
      access: 'programmatic',
      sessionIssuer: 'arn:aws:iam::111122223333:role/deploy',
    },
    context: {
      reason: 'new-action',
      explanation: 'A lone new action by a principal with 37 known actions; first in the whole organization.',
      facts: {
        baseline: { actions: 37, knownSince: '2024-01-09T08:00:00.000Z' },
        prevalence: { otherPrincipals: 0, firstInOrganization: true },
        who: { sessionName: 'alice@example.com', sourceIdentity: 'alice' },
      },
    },
    ...overrides,
  };
}

/** The hostile strings of the issue, plus a 100 KB one. */
export const HOSTILE = {
  channel: '<!channel> wake up',
  here: '<!here>',
  link: '<https://evil.example|click>',
  everyone: '@everyone look',
  backticks: '```code``` `x`',
  newlines: 'line1\nline2\r\n*bold*',
  rtl: 'gpj.\u202Eexe.invoice',
  zeroWidth: 'ad\u200Bmin\u200D',
  big: 'A<'.repeat(50_000),
};

export function hostileAlert(id: string): Alert {
  return makeAlert({
    alertId: id,
    eventId: id,
    principal: `role/${HOSTILE.channel}${HOSTILE.link}${HOSTILE.rtl}`,
    sessionName: `${HOSTILE.here}${HOSTILE.everyone}${HOSTILE.backticks}`,
    userAgent: `${HOSTILE.newlines}${HOSTILE.big}`,
    errorCode: HOSTILE.link,
    errorMessage: `${HOSTILE.channel}${HOSTILE.zeroWidth}${HOSTILE.big}`,
    requestParameters: { userName: HOSTILE.here, policy: HOSTILE.big, note: HOSTILE.link },
    sourceIdentity: HOSTILE.everyone,
    accountInfo: {
      name: `${HOSTILE.channel}${HOSTILE.backticks}${HOSTILE.big}`,
      ouPath: `${HOSTILE.link}/${HOSTILE.rtl}${HOSTILE.newlines}${HOSTILE.big}`,
      tags: { [HOSTILE.here]: HOSTILE.big },
    },
    resource: `s3:${HOSTILE.here}${HOSTILE.newlines}${HOSTILE.backticks}${HOSTILE.big}`,
    evidence: {
      targets: [{ kind: HOSTILE.channel, parameter: 'userName', value: `${HOSTILE.link}${HOSTILE.big}` }],
      accessKeyId: HOSTILE.everyone,
      sessionIssuer: `${HOSTILE.rtl}${HOSTILE.backticks}`,
      federatedProvider: HOSTILE.newlines,
      access: 'console',
    },
    context: {
      explanation: `${HOSTILE.link} ${HOSTILE.channel}`,
      facts: {
        iamChange: {
          by: HOSTILE.channel,
          sessionName: `${HOSTILE.backticks}${HOSTILE.newlines}`,
          policy: HOSTILE.big,
        },
        [HOSTILE.link]: HOSTILE.everyone,
        who: { sessionName: HOSTILE.rtl, sourceIdentity: HOSTILE.zeroWidth },
      },
    },
  });
}
