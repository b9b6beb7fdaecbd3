import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
