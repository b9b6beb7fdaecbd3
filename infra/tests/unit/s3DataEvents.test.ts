import { MAX_S3_DATA_EVENT_BUCKETS, s3DataEventSelectors, s3DataEventsCommand } from '../../src/s3DataEvents';
import { readStackSettings } from '../../src/stackSettings';

// Optional S3 data events for chosen buckets (the opt-in resource level): the organization
// trail's advanced event selectors, shaped as CloudTrail's PutEventSelectors documents them
// (eventCategory and resources.type take only Equals; resources.ARN StartsWith the bucket ARN
// and a slash logs every object of the bucket).

const base: Record<string, string> = {
  orgId: 'o-abcdefghij',
  targetOus: '["ou-ab12-cdefghij"]',
  regions: '["us-east-1"]',
};
const getter = (values: Record<string, string>) => (key: string) => values[key];
const RESOURCE_ON = '{"levels":{"resource":true}}';

describe('s3DataEventSelectors()', () => {
  it("keeps the trail's management events and adds the chosen buckets' S3 object-level events", () => {
    expect(s3DataEventSelectors({ buckets: ['payroll-exports', 'hr.archive'] })).toEqual([
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      {
        Name: 'S3 data events of the buckets firstseen watches',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          {
            Field: 'resources.ARN',
            StartsWith: ['arn:aws:s3:::payroll-exports/', 'arn:aws:s3:::hr.archive/'],
          },
        ],
      },
    ]);
    expect(s3DataEventSelectors({ buckets: ['b1'] }, 'aws-us-gov')[1]!.FieldSelectors[2]!.StartsWith).toEqual(
      ['arn:aws-us-gov:s3:::b1/'],
    );
    expect(s3DataEventsCommand()).toMatch(
      /^aws cloudtrail put-event-selectors --trail-name \S+ --advanced-event-selectors file:\/\/selectors\.json$/,
    );
  });
});

describe('firstseen:s3DataEvents', () => {
  it('is off by default: no buckets, nothing to apply', () => {
    expect(readStackSettings(getter(base), '/').s3DataEvents).toBeUndefined();
  });

  it('reads the buckets, with no warning when levels.resource is on', () => {
    const s = readStackSettings(
      getter({ ...base, detection: RESOURCE_ON, s3DataEvents: '{"buckets":["payroll-exports"]}' }),
      '/',
    );
    expect(s.s3DataEvents).toEqual({ buckets: ['payroll-exports'] });
    expect(s.warnings.filter((w) => w.includes('s3DataEvents'))).toEqual([]);
  });

  it('warns when data events would be logged (and billed) with levels.resource off', () => {
    const s = readStackSettings(getter({ ...base, s3DataEvents: '{"buckets":["payroll-exports"]}' }), '/');
    expect(s.warnings).toContainEqual(
      expect.stringMatching(/s3DataEvents is set but .*levels\.resource off/),
    );
  });

  it.each([
    ['{"buckets":[]}', /firstseen:s3DataEvents\.buckets: .*>=1/],
    ['{"buckets":["Not_A_Bucket"]}', /firstseen:s3DataEvents\.buckets\.0: must be an S3 bucket name/],
    ['{"buckets":["a1b","a1b"]}', /firstseen:s3DataEvents\.buckets: names a bucket twice/],
    ['{"bucket":["a1b"]}', /firstseen:s3DataEvents/],
    [
      JSON.stringify({ buckets: Array.from({ length: MAX_S3_DATA_EVENT_BUCKETS + 1 }, (_, i) => `b-${i}x`) }),
      /firstseen:s3DataEvents\.buckets: .*100/,
    ],
  ])('refuses %s with the offending path', (value, message) => {
    expect(() =>
      readStackSettings(getter({ ...base, detection: RESOURCE_ON, s3DataEvents: value }), '/'),
    ).toThrow(message);
  });
});
