import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, defaultConfig, FirstseenError, parseConfig } from '../../src';

/** docs/semantics.md's default sensitive actions, written out here independently of config.ts. */
const SPEC_SENSITIVE = [
  ...['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'].map(
    (n) => `cloudtrail.amazonaws.com:${n}`,
  ),
  ...['DeleteDetector', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount'].map(
    (n) => `guardduty.amazonaws.com:${n}`,
  ),
  ...[
    'CreateUser',
    'CreateAccessKey',
    'CreateLoginProfile',
    'AttachUserPolicy',
    'PutUserPolicy',
    'AttachRolePolicy',
    'PutRolePolicy',
    'UpdateAssumeRolePolicy',
  ].map((n) => `iam.amazonaws.com:${n}`),
  'organizations.amazonaws.com:LeaveOrganization',
  'kms.amazonaws.com:ScheduleKeyDeletion',
  ...[
    'PutBucketPolicy',
    'DeleteBucketPolicy',
    'PutBucketPublicAccessBlock',
    'DeleteBucketPublicAccessBlock',
    'PutBucketAcl',
  ].map((n) => `s3.amazonaws.com:${n}`),
  ...['DisableRule', 'DeleteRule', 'RemoveTargets', 'PutRule'].map((n) => `events.amazonaws.com:${n}`),
  'config.amazonaws.com:StopConfigurationRecorder',
  // Added for defence evasion, sharing outside the organization and persistence (issue 25).
  ...[
    'DeactivateMFADevice',
    'DeleteVirtualMFADevice',
    'CreateSAMLProvider',
    'UpdateSAMLProvider',
    'CreateOpenIDConnectProvider',
    'UpdateLoginProfile',
    'AddUserToGroup',
    'AttachGroupPolicy',
    'PutGroupPolicy',
    'CreatePolicyVersion',
    'SetDefaultPolicyVersion',
  ].map((n) => `iam.amazonaws.com:${n}`),
  ...[
    'DeleteFlowLogs',
    'DisableEbsEncryptionByDefault',
    'ModifySnapshotAttribute',
    'ModifyImageAttribute',
    'ImportKeyPair',
  ].map((n) => `ec2.amazonaws.com:${n}`),
  'securityhub.amazonaws.com:DisableSecurityHub',
  ...['DeleteConfigRule', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel'].map(
    (n) => `config.amazonaws.com:${n}`,
  ),
  'access-analyzer.amazonaws.com:DeleteAnalyzer',
  'kms.amazonaws.com:DisableKey',
  'kms.amazonaws.com:PutKeyPolicy',
  'rds.amazonaws.com:ModifyDBSnapshotAttribute',
  'lambda.amazonaws.com:AddPermission20150331',
  'lambda.amazonaws.com:AddPermission20150331v2',
];

function configError(input: unknown): ConfigError {
  try {
    parseConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('parseConfig accepted an invalid config');
}

describe('parseConfig()', () => {
  describe('defaults', () => {
    const config = defaultConfig();

    it('covers all events', () => {
      expect(config.coverage).toBe('all');
    });

    it('uses windowDays 90, burnInDays 14, retentionDays 400', () => {
      expect(config).toMatchObject({ windowDays: 90, burnInDays: 14, retentionDays: 400 });
    });

    it('enables the four levels and leaves the opt-in resource level off', () => {
      expect(config.levels).toEqual({
        account: true,
        role: true,
        region: true,
        window: true,
        resource: false,
      });
    });

    it("holds exactly docs/semantics.md's sensitive actions", () => {
      expect([...config.sensitiveActions].sort()).toEqual([...SPEC_SENSITIVE].sort());
      expect(config.sensitiveActions).toHaveLength(53);
    });

    it('lists every default sensitive action in docs/semantics.md', () => {
      const doc = readFileSync(join(__dirname, '../../../../docs/semantics.md'), 'utf8');
      const start = doc.indexOf('- **Sensitive actions**');
      const paragraph = doc.slice(start, doc.indexOf('\n- **', start + 1)).replace(/\s+/g, ' ');
      const missing = config.sensitiveActions.filter(
        (a) => !new RegExp(`\\b${a.split(':')[1]}\\b`).test(paragraph),
      );
      expect(start).toBeGreaterThan(0);
      expect(missing).toEqual([]);
    });

    it('rates severity per docs/semantics.md: high for sensitive, root/, an offensive user agent or a denied burst from a new context; medium for role or a first success; else low', () => {
      expect(config.severityRules).toEqual([
        { name: 'sensitive-action', severity: 'high', sensitive: true },
        { name: 'root-principal', severity: 'high', principals: ['root/*'] },
        { name: 'offensive-user-agent', severity: 'high', offensiveUserAgent: true },
        { name: 'denied-burst-new-context', severity: 'high', deniedBurst: 3, newContext: true },
        { name: 'new-role-action', severity: 'medium', levels: ['role'] },
        { name: 'first-success-after-failure', severity: 'medium', firstSuccessAfterFailure: true },
      ]);
      expect(config.defaultSeverity).toBe('low');
    });

    it('has no ignore rules', () => {
      expect(config.ignore).toEqual({
        principals: [],
        actions: [],
        accounts: [],
        regions: [],
        identityTypes: [],
      });
    });

    it('is what parseConfig gives for an empty object and for undefined', () => {
      expect(parseConfig({})).toEqual(config);
      expect(parseConfig(undefined)).toEqual(config);
    });
  });

  describe('validation', () => {
    it('accepts windowDays just below retentionDays', () => {
      expect(parseConfig({ windowDays: 399, retentionDays: 400 }).windowDays).toBe(399);
    });

    it.each([
      [400, 400],
      [500, 400],
      [90, 30],
    ])('rejects windowDays %d with retentionDays %d, naming windowDays', (windowDays, retentionDays) => {
      const err = configError({ windowDays, retentionDays });
      expect(err.issues.some((i) => i.startsWith('windowDays:'))).toBe(true);
      expect(err.message).toContain('windowDays');
    });

    it('accepts 0 as "off" for windowDays and burnInDays', () => {
      expect(parseConfig({ windowDays: 0, burnInDays: 0 })).toMatchObject({ windowDays: 0, burnInDays: 0 });
    });

    it.each([
      ['windowDays', { windowDays: -1 }],
      ['burnInDays', { burnInDays: -14 }],
      ['retentionDays', { retentionDays: -400 }],
      ['alertRetentionDays', { alertRetentionDays: -1 }],
      ['routing.stormThresholdPerMinute', { routing: { stormThresholdPerMinute: -5 } }],
    ])('rejects a negative %s, naming its path', (path, input) => {
      const err = configError(input);
      expect(err.issues.some((i) => i.startsWith(`${path}:`))).toBe(true);
    });

    it('rejects a retentionDays of 0', () => {
      expect(configError({ retentionDays: 0 }).issues.some((i) => i.startsWith('retentionDays:'))).toBe(true);
    });

    it('rejects a fractional number of days', () => {
      expect(configError({ burnInDays: 1.5 }).issues.some((i) => i.startsWith('burnInDays:'))).toBe(true);
    });

    it('rejects an unknown top-level key, naming it', () => {
      expect(configError({ windowDayz: 30 }).message).toContain('windowDayz');
    });

    it('rejects an unknown nested key, naming its parent path', () => {
      const err = configError({ ignore: { principal: ['role/x'] } });
      expect(err.issues.some((i) => i.startsWith('ignore:') && i.includes('principal'))).toBe(true);
    });

    it('rejects an unknown coverage value', () => {
      expect(configError({ coverage: 'reads' }).issues.some((i) => i.startsWith('coverage:'))).toBe(true);
    });

    it('throws a ConfigError, which is a FirstseenError with its name set', () => {
      const err = configError({ windowDays: -1 });
      expect(err).toBeInstanceOf(FirstseenError);
      expect(err.name).toBe('ConfigError');
    });

    it('lists every offending path at once', () => {
      const err = configError({ windowDays: -1, burnInDays: -1 });
      expect(err.issues.map((i) => i.split(':')[0]).sort()).toEqual(['burnInDays', 'windowDays']);
    });
  });

  describe('an interactive Slack destination', () => {
    const slack = (extra: Record<string, unknown>) => ({
      routing: { destinations: { alerts: { type: 'slack', interactive: true, ...extra } }, rules: [] },
    });

    it('requires the team ids and the app id whose clicks triage accepts, naming each path', () => {
      const err = configError(slack({}));
      expect(err.issues.map((i) => i.split(':')[0]).sort()).toEqual([
        'routing.destinations.alerts.appId',
        'routing.destinations.alerts.teamIds',
      ]);
      expect(err.message).toContain('required when interactive is true');
    });

    it('accepts workspace and organization ids, an app id and optional triagers', () => {
      const c = parseConfig(
        slack({ teamIds: ['T0LOCAL', 'E0ORG'], appId: 'A0LOCAL', triagerUserIds: ['U0ALICE', 'W0BOB'] }),
      );
      expect(c.routing.destinations.alerts).toMatchObject({
        teamIds: ['T0LOCAL', 'E0ORG'],
        appId: 'A0LOCAL',
      });
    });

    it.each([
      ['teamIds', { teamIds: ['acme'], appId: 'A0LOCAL' }],
      ['teamIds', { teamIds: [], appId: 'A0LOCAL' }],
      ['appId', { teamIds: ['T0LOCAL'], appId: 'T0LOCAL' }],
      ['triagerUserIds', { teamIds: ['T0LOCAL'], appId: 'A0LOCAL', triagerUserIds: ['alice'] }],
    ])('rejects a malformed %s, naming its path', (field, extra) => {
      const err = configError(slack(extra));
      expect(err.issues.some((i) => i.startsWith(`routing.destinations.alerts.${field}`))).toBe(true);
    });

    it('needs neither when the destination is not interactive', () => {
      expect(() => parseConfig(slack({ interactive: false }))).not.toThrow();
    });
  });
});

describe('slack threadWindowMinutes', () => {
  const slackWith = (extra: Record<string, unknown>) => ({
    routing: {
      destinations: { slack: { type: 'slack', mode: 'bot', channel: 'C1', ...extra } },
      rules: [{ destinations: ['slack'] }],
    },
  });

  it('defaults to 60 minutes', () => {
    const dest = parseConfig(slackWith({})).routing.destinations['slack'];
    expect(dest).toMatchObject({ threadWindowMinutes: 60 });
  });

  it.each([0, -5, 1.5, 1441, '60'])('rejects %p naming the path', (value) => {
    expect(configError(slackWith({ threadWindowMinutes: value })).message).toContain(
      'routing.destinations.slack.threadWindowMinutes',
    );
  });
});

describe('parseConfig() routing by where it happened', () => {
  it('accepts ous, accounts by name, accountTags and defaultDestinations', () => {
    const { routing } = parseConfig({
      routing: {
        rules: [
          {
            ous: ['Sandbox*'],
            accounts: ['payments-*'],
            accountTags: ['environment=prod'],
            destinations: ['slack'],
          },
        ],
        defaultDestinations: ['slack'],
      },
    });
    expect(routing.rules[0]!.ous).toEqual(['Sandbox*']);
  });

  it('names the path of an account tag condition without key=value', () => {
    expect(() =>
      parseConfig({ routing: { rules: [{ accountTags: ['environment'], destinations: ['slack'] }] } }),
    ).toThrow('routing.rules.0.accountTags.0: an account tag condition key=value (value may be a glob)');
  });

  it('names an unknown default destination', () => {
    expect(() => parseConfig({ routing: { defaultDestinations: ['pager'] } })).toThrow(
      'routing.defaultDestinations.0: unknown destination "pager" (known: slack, pagerduty)',
    );
  });

  it('refuses an empty OU glob', () => {
    expect(() => parseConfig({ routing: { rules: [{ ous: [''], destinations: ['slack'] }] } })).toThrow(
      'routing.rules.0.ous.0',
    );
  });
});
