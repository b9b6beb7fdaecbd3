import {
  type CloudTrailRecord,
  classifyRecord,
  type IgnoreRules,
  matchesAnyGlob,
  toEventBridgeEnvelope,
} from '@firstseen/core';
import { createOrganization, generateEvents } from '@firstseen/generator';
import { corpusObjects, matchesEventPattern } from '@firstseen/test-support';
import { CENTRAL_DETAIL_TYPES } from '../../src/constants';
import { forwardingTemplate } from '../../src/forwardingTemplate';
import {
  IGNORED_IDENTITY_TYPES,
  MAX_PATTERN_CHARS,
  sourceFilter,
  withSourceFilter,
} from '../../src/sourceFilter';

/**
 * Proof of the source filter (issue 17): for every record of the real corpus and of a generated
 * month, the forwarding pattern forwards it exactly when the detector would not ignore it by the
 * rules the filter translates; and whatever the pattern drops, the detector would not observe.
 */

type Rec = Record<string, unknown>;

// Every detail-type the detector reads, so that only the filter decides what is dropped.
const BASE = { source: [{ prefix: 'aws.' }], 'detail-type': CENTRAL_DETAIL_TYPES };

function obj(v: unknown): Rec | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
}

/** The rules the filter translates, read straight off the record (present = not undefined, as EventBridge reads it). */
function droppedByTranslatedRules(
  record: Rec,
  coverage: 'all' | 'write-only',
  ignore: Partial<IgnoreRules>,
): boolean {
  const identity = obj(record.userIdentity);
  const type = identity?.type;
  if (typeof type !== 'string' || (IGNORED_IDENTITY_TYPES as readonly string[]).includes(type)) return true;
  if ((ignore.identityTypes ?? []).includes(type)) return true;
  const issuerArn = obj(obj(identity?.sessionContext)?.sessionIssuer)?.arn;
  if (typeof issuerArn === 'string' && issuerArn.includes(':role/aws-service-role/')) return true;
  if (coverage === 'write-only' && !(record.readOnly === false || record.readOnly === undefined)) return true;
  const region = record.awsRegion;
  if (ignore.regions?.length && typeof region === 'string' && matchesAnyGlob(region, ignore.regions))
    return true;
  const account = identity?.accountId !== undefined ? identity.accountId : record.recipientAccountId;
  if (ignore.accounts?.length && typeof account === 'string' && matchesAnyGlob(account, ignore.accounts))
    return true;
  const { eventSource, eventName } = record;
  if (
    ignore.actions?.length &&
    typeof eventSource === 'string' &&
    typeof eventName === 'string' &&
    matchesAnyGlob(`${eventSource}:${eventName}`, ignore.actions)
  ) {
    return true;
  }
  return false;
}

function records(): Rec[] {
  const corpus = corpusObjects().map((v) => (obj(v.detail) && 'detail-type' in v ? (v.detail as Rec) : v));
  const month = [
    ...generateEvents(createOrganization({ seed: 17 }), {
      start: Date.UTC(2026, 9, 1),
      days: 30,
      eventsPerDay: 1_500,
    }),
  ] as CloudTrailRecord[] as unknown as Rec[];
  return [...corpus, ...month];
}

const ALL = records();
const ENVELOPES = new Map(ALL.map((r) => [r, toEventBridgeEnvelope(r)]));
const forwards = (pattern: Record<string, unknown>, r: Rec) => matchesEventPattern(pattern, ENVELOPES.get(r));

const CONFIGS: { name: string; coverage: 'all' | 'write-only'; ignore: Partial<IgnoreRules> }[] = [
  { name: 'the default config', coverage: 'all', ignore: {} },
  { name: 'write-only coverage', coverage: 'write-only', ignore: {} },
  {
    name: 'write-only with ignore rules on actions, accounts, regions and identity types',
    coverage: 'write-only',
    ignore: {
      actions: [
        'ec2.amazonaws.com:Describe*',
        's3.amazonaws.com:GetObject',
        's3.amazonaws.com:ListBuckets',
        '*:GetCallerIdentity',
      ],
      accounts: ['111122223333', '123456789012'],
      regions: ['ap-*'],
      identityTypes: ['IAMUser'],
    },
  },
  {
    name: 'all coverage with one wildcard per field',
    coverage: 'all',
    ignore: { actions: ['kms.amazonaws.com:*'], regions: ['eu-west-1', 'us-west-2'], accounts: ['1111*'] },
  },
];

describe('sourceFilter()', () => {
  it('runs over the real corpus and a generated month', () => {
    expect(ALL.length).toBeGreaterThan(40_000);
  });

  describe.each(CONFIGS)('with $name', ({ coverage, ignore }) => {
    const filter = sourceFilter({ coverage, ignore });
    const pattern = withSourceFilter(BASE, filter);

    it('translates every rule it was given', () => {
      expect(filter.untranslated).toEqual([]);
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(MAX_PATTERN_CHARS);
    });

    it('forwards a record exactly when the translated rules would not ignore it', () => {
      const wrong = ALL.filter((r) => forwards(pattern, r) === droppedByTranslatedRules(r, coverage, ignore));
      expect(wrong.map((r) => r.eventID)).toEqual([]);
    });

    it('never drops a record the detector would observe', () => {
      const options = { coverage, ignore };
      const blinded = ALL.filter((r) => {
        if (forwards(pattern, r)) return false;
        return classifyRecord(r, options).outcome === 'observed';
      });
      expect(blinded.map((r) => r.eventID)).toEqual([]);
    });

    it('drops a share of the traffic and forwards the rest', () => {
      const forwarded = ALL.filter((r) => forwards(pattern, r)).length;
      expect(forwarded).toBeLessThan(ALL.length);
      expect(forwarded).toBeGreaterThan(0);
    });
  });

  it('leaves untranslatable rules to the detector and names them', () => {
    const filter = sourceFilter({
      coverage: 'all',
      ignore: {
        principals: ['role/datadog-*'],
        actions: ['ec2.amazonaws.com:Describe?'],
        regions: ['ap-*', 'eu-*'],
        identityTypes: ['IAM*'],
      },
    });
    expect(filter.untranslated.sort()).toEqual(
      [
        'ignore.actions: ec2.amazonaws.com:Describe?',
        'ignore.identityTypes: IAM*',
        'ignore.principals: role/datadog-*',
        'ignore.regions: ap-*',
        'ignore.regions: eu-*',
      ].sort(),
    );
    const pattern = withSourceFilter(BASE, filter);
    const blinded = ALL.filter((r) => !forwards(pattern, r) && classifyRecord(r, {}).outcome === 'observed');
    expect(blinded).toEqual([]);
  });

  it("refuses a config whose pattern would exceed EventBridge's size limit, saying what to shorten", () => {
    const accounts = Array.from({ length: 200 }, (_, i) => String(100000000000 + i));
    expect(() => withSourceFilter(BASE, sourceFilter({ coverage: 'all', ignore: { accounts } }))).toThrow(
      /over EventBridge's 2048.*ignore\.accounts/,
    );
  });
});

describe('forwardingTemplate()', () => {
  it("filters at the source in the member accounts' rule", () => {
    const template = forwardingTemplate('all', { actions: ['ec2.amazonaws.com:Describe*'] }) as {
      Resources: Record<string, { Type: string; Properties: { EventPattern?: Record<string, unknown> } }>;
    };
    const rule = Object.values(template.Resources).find((r) => r.Type === 'AWS::Events::Rule');
    const pattern = rule?.Properties.EventPattern;
    if (pattern === undefined) throw new Error('no rule in the template');
    const call = (identity: Rec, eventName = 'CreateRole') =>
      toEventBridgeEnvelope({
        eventSource: eventName.startsWith('Describe') ? 'ec2.amazonaws.com' : 'iam.amazonaws.com',
        eventName,
        awsRegion: 'us-east-1',
        eventID: 'e1',
        eventTime: '2026-01-01T00:00:00Z',
        recipientAccountId: '111122223333',
        userIdentity: identity,
      });
    const role = {
      type: 'AssumedRole',
      accountId: '111122223333',
      sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111122223333:role/deploy', userName: 'deploy' } },
    };
    expect(matchesEventPattern(pattern, call(role))).toBe(true);
    expect(matchesEventPattern(pattern, call(role, 'DescribeInstances'))).toBe(false);
    expect(
      matchesEventPattern(pattern, call({ type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' })),
    ).toBe(false);
  });
});
