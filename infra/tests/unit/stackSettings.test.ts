import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkStackFile, readStackFile } from '../../src/stackFile';
import { readStackSettings } from '../../src/stackSettings';

const base: Record<string, string> = {
  orgId: 'o-abcdefghij',
  targetOus: '["ou-ab12-cdefghij"]',
  regions: '["us-east-1","eu-west-1"]',
};
const getter = (values: Record<string, string>) => (key: string) => values[key];

describe('readStackSettings()', () => {
  it('validates the detection config with the core schema and applies its defaults', () => {
    const s = readStackSettings(
      getter({ ...base, detection: '{"coverage":"write-only","burnInDays":0}' }),
      '/',
    );
    expect(s.config.coverage).toBe('write-only');
    expect(s.config.burnInDays).toBe(0);
    expect(s.config.windowDays).toBe(90);
    expect(s.stream).toEqual({ mode: 'ON_DEMAND', shardCount: undefined });
    expect(s.protectData).toBe(true);
  });

  it('stops `pulumi up` on a bad detection config, naming the offending path', () => {
    expect(() =>
      readStackSettings(getter({ ...base, detection: '{"windowDays":500,"retentionDays":400}' }), '/'),
    ).toThrow(/firstseen:detection: windowDays: windowDays \(500\) must be less than retentionDays/);
  });

  it('reads the detection config from a file relative to the program', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstseen-stack-'));
    fs.writeFileSync(path.join(dir, 'detection.json'), '{"burnInDays":7}');
    expect(
      readStackSettings(getter({ ...base, detectionFile: 'detection.json' }), dir).config.burnInDays,
    ).toBe(7);
  });

  it('reads replayOnAws (off unless enabled), checks its bounds, and requires the trail of firstseen:replay', () => {
    const replay =
      '{"trailBucketName":"org-trail","trustedPrincipalArns":["arn:aws:iam::111122223333:role/x"]}';
    expect(readStackSettings(getter({ ...base, replay }), '/').replayOnAws).toBeUndefined();
    expect(
      readStackSettings(
        getter({
          ...base,
          replay,
          replayOnAws: '{"enabled":true,"concurrency":200,"maxWriteUnitsPerSecond":4000}',
        }),
        '/',
      ).replayOnAws,
    ).toEqual({ enabled: true, concurrency: 200, maxWriteUnitsPerSecond: 4000 });
    expect(() =>
      readStackSettings(
        getter({ ...base, replay, replayOnAws: '{"enabled":true,"concurrency":20000}' }),
        '/',
      ),
    ).toThrow(/firstseen:replayOnAws\.concurrency/);
    expect(() =>
      readStackSettings(getter({ ...base, replay, replayOnAws: '{"enabled":true,"concurrency":2000}' }), '/'),
    ).toThrow(/concurrency 2000 exceeds maxWriteUnitsPerSecond 1000/);
    expect(() => readStackSettings(getter({ ...base, replayOnAws: '{"enabled":true}' }), '/')).toThrow(
      /firstseen:replayOnAws needs firstseen:replay/,
    );
  });

  it('requires the organization id', () => {
    const { orgId: _omit, ...rest } = base;
    expect(() => readStackSettings(getter(rest), '/')).toThrow(/firstseen:orgId is required/);
  });

  it('leaves the regions unset (every enabled region) when firstseen:regions is not configured', () => {
    const { regions: _omit, ...rest } = base;
    expect(readStackSettings(getter(rest), '/').regions).toBeUndefined();
  });

  it('reads the management account role and the StackSet operation settings', () => {
    const s = readStackSettings(
      getter({
        ...base,
        managementAccountRoleArn: 'arn:aws:iam::999988887777:role/firstseen-deploy',
        forwarding: '{"failureTolerancePercentage":50}',
      }),
      '/',
    );
    expect(s.managementAccountRoleArn).toBe('arn:aws:iam::999988887777:role/firstseen-deploy');
    expect(s.forwarding).toEqual({ failureTolerancePercentage: 50 });
  });

  it('refuses a region list without us-east-1', () => {
    expect(() => readStackSettings(getter({ ...base, regions: '["eu-west-1"]' }), '/')).toThrow(
      /must include us-east-1/,
    );
  });

  it('reads provisioned shard settings and rejects a non-integer shard count', () => {
    expect(
      readStackSettings(getter({ ...base, streamMode: 'PROVISIONED', shardCount: '4' }), '/').stream,
    ).toEqual({
      mode: 'PROVISIONED',
      shardCount: 4,
    });
    expect(() => readStackSettings(getter({ ...base, shardCount: '2.5' }), '/')).toThrow(/shardCount/);
  });

  it('names a value that is not JSON', () => {
    expect(() => readStackSettings(getter({ ...base, targetOus: 'ou-ab12-cdefghij' }), '/')).toThrow(
      /firstseen:targetOus is not valid JSON/,
    );
  });
});

describe('readStackSettings() as `npm run check` and `pulumi up` run it', () => {
  const problemsOf = (values: Record<string, string>, source = {}): string[] => {
    try {
      readStackSettings(getter(values), '/', { keys: Object.keys(values), ...source });
    } catch (err) {
      return (err as Error).message.split('\n');
    }
    return [];
  };

  it('accepts a complete stack', () => {
    expect(problemsOf({ ...base, alarmEmail: 'secops@example.com' }, { awsRegion: 'eu-west-1' })).toEqual([]);
  });

  it('advises prefixed secret names without refusing the defaults', () => {
    const at = (detection?: string) =>
      readStackSettings(getter(detection ? { ...base, detection } : base), '/').warnings;
    expect(at()).toEqual([
      expect.stringMatching(
        /^secret names without a prefix: FIRSTSEEN_PAGERDUTY_ROUTING_KEY, FIRSTSEEN_SLACK_WEBHOOK_URL; name them e\.g\. "firstseen\/slack-webhook"/,
      ),
    ]);
    const prefixed = JSON.stringify({
      routing: {
        destinations: {
          slack: { type: 'slack', secret: 'firstseen/slack-webhook' },
          pagerduty: { type: 'pagerduty', secret: 'firstseen/pagerduty' },
        },
      },
    });
    expect(at(prefixed)).toEqual([]);
  });

  it('refuses a misspelt setting and names the one meant', () => {
    expect(problemsOf({ ...base, alarmEmial: 'secops@example.com' })).toEqual([
      expect.stringMatching(
        /^firstseen:alarmEmial is not a firstseen setting \(did you mean firstseen:alarmEmail\?/,
      ),
    ]);
  });

  it('refuses a region AWS does not have, in the list and as aws:region', () => {
    expect(problemsOf({ ...base, regions: '["us-east-1","eu-west-9"]' }, { awsRegion: 'eu-wset-1' })).toEqual(
      [
        'aws:region: not an AWS region: eu-wset-1',
        expect.stringMatching(/^firstseen:regions: not an AWS region: eu-west-9/),
      ],
    );
  });

  it('accepts every region of the provider list, including the newest ones', () => {
    expect(problemsOf({ ...base, regions: '["us-east-1","mx-central-1","ap-southeast-7"]' })).toEqual([]);
  });

  it('refuses an unknown key inside a JSON setting', () => {
    expect(problemsOf({ ...base, detector: '{"batchSize":200,"batchSizes":3}' })).toEqual([
      'firstseen:detector: Unrecognized key: "batchSizes"',
    ]);
  });

  it('refuses a routing rule naming an undefined destination and an unknown detection key', () => {
    const problems = problemsOf({
      ...base,
      detection: '{"windowDayz":3,"routing":{"rules":[{"destinations":["slak"]}]}}',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/unknown destination "slak" \(known: slack, pagerduty\)/);
    expect(problems[0]).toMatch(/Unrecognized key: "windowDayz"/);
  });

  it('refuses a secret name Secrets Manager would refuse or confuse with its ARN suffix', () => {
    const detection = JSON.stringify({
      routing: {
        destinations: {
          slack: { type: 'slack', secret: 'slack webhook' },
          pagerduty: { type: 'pagerduty', secret: 'firstseen/pd-abc123' },
        },
      },
    });
    expect(problemsOf({ ...base, detection })).toEqual([
      expect.stringMatching(
        /"slack webhook" is not a valid.*"firstseen\/pd-abc123" ends in a hyphen and six characters/,
      ),
    ]);
  });

  it('checks the Slack signing secret name too, defaulting to a prefixed name', () => {
    expect(problemsOf({ ...base, triage: '{"signingSecretName":"a b"}' })).toEqual([
      expect.stringMatching(/"a b" is not a valid Secrets Manager secret name/),
    ]);
  });

  it('reports every problem at once, one per line', () => {
    const { orgId: _omit, ...rest } = base;
    expect(problemsOf({ ...rest, streamMode: 'FAST', protectData: 'yes' })).toEqual([
      'firstseen:orgId is required (pulumi config set firstseen:orgId o-...)',
      'firstseen:streamMode must be ON_DEMAND or PROVISIONED, got "FAST"',
      'firstseen:protectData must be true or false, got "yes"',
    ]);
  });
});

describe('checkStackFile()', () => {
  const write = (yamlText: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstseen-stackfile-'));
    const file = path.join(dir, 'Pulumi.prod.yaml');
    fs.writeFileSync(file, yamlText);
    return file;
  };

  it('gives, offline, the same messages as the program for the same settings', () => {
    const file = write(
      [
        'config:',
        '  aws:region: eu-west-1',
        '  firstseen:orgId: o-a1b2c3d4e5',
        `  firstseen:targetOus: '["r-ab12"]'`,
        `  firstseen:regions: '["us-east-1","eu-west-9"]'`,
        '  firstseen:alarmEmial: secops@example.com',
        '  firstseen:detector:',
        '    batchSize: 200',
        '    batchSizes: 3',
      ].join('\n'),
    );
    const values = readStackFile(file).values;
    expect(values['detector']).toBe('{"batchSize":200,"batchSizes":3}');
    let offline = '';
    try {
      checkStackFile(file);
    } catch (err) {
      offline = (err as Error).message;
    }
    let program = '';
    try {
      readStackSettings(getter(values), path.dirname(file), {
        keys: Object.keys(values),
        awsRegion: 'eu-west-1',
      });
    } catch (err) {
      program = (err as Error).message;
    }
    expect(offline.split('\n')).toHaveLength(3);
    expect(offline).toBe(program);
  });

  it('resolves detectionFile against the stack file folder, as the program does against infra/', () => {
    const file = write(
      [
        'config:',
        '  firstseen:orgId: o-a1b2c3d4e5',
        `  firstseen:targetOus: '["r-ab12"]'`,
        `  firstseen:regions: '["us-east-1"]'`,
        '  firstseen:detectionFile: d.json',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(path.dirname(file), 'd.json'), '{"burnInDays":3}');
    expect(checkStackFile(file).config.burnInDays).toBe(3);
  });

  it('refuses an encrypted firstseen setting it cannot read', () => {
    const file = write(['config:', '  firstseen:orgId:', '    secure: AAABAxyz'].join('\n'));
    expect(() => readStackFile(file)).toThrow(/firstseen:orgId is encrypted/);
  });
});
