import { matchesEventPattern } from '../../src/matchesEventPattern';

// Examples from AWS's documentation of event patterns (EventBridge user guide, "Comparison
// operators") and the aws/event-ruler README, with the outcomes those documents state.
const EC2_EVENT = {
  'detail-type': 'EC2 Instance State-change Notification',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: { state: 'running', 'c-count': 3, file: '/usr/lib/x.png' },
};

describe('matchesEventPattern()', () => {
  it('ands fields, ors the values of one field, and intersects with event arrays', () => {
    expect(matchesEventPattern({ detail: { state: ['initializing', 'running'] } }, EC2_EVENT)).toBe(true);
    expect(matchesEventPattern({ detail: { state: ['running'] }, 'detail-type': ['x'] }, EC2_EVENT)).toBe(
      false,
    );
    expect(
      matchesEventPattern(
        { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'] },
        EC2_EVENT,
      ),
    ).toBe(true);
  });

  it('matches prefix, suffix and wildcard on strings only', () => {
    expect(matchesEventPattern({ detail: { state: [{ prefix: 'run' }] } }, EC2_EVENT)).toBe(true);
    expect(matchesEventPattern({ detail: { file: [{ suffix: '.png' }] } }, EC2_EVENT)).toBe(true);
    expect(matchesEventPattern({ detail: { file: [{ wildcard: '*/lib/*' }] } }, EC2_EVENT)).toBe(true);
    expect(matchesEventPattern({ detail: { 'c-count': [{ prefix: '3' }] } }, EC2_EVENT)).toBe(false);
    expect(() => matchesEventPattern({ detail: { file: [{ wildcard: 'a**b' }] } }, EC2_EVENT)).toThrow();
  });

  it('matches anything-but a value, a list, a prefix or a wildcard, never an absent field', () => {
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } }, EC2_EVENT)).toBe(
      true,
    );
    expect(
      matchesEventPattern({ detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, EC2_EVENT),
    ).toBe(false);
    expect(
      matchesEventPattern({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, EC2_EVENT),
    ).toBe(true);
    expect(
      matchesEventPattern({ detail: { file: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, EC2_EVENT),
    ).toBe(false);
    expect(matchesEventPattern({ detail: { missing: [{ 'anything-but': 'x' }] } }, EC2_EVENT)).toBe(false);
    expect(matchesEventPattern({ detail: { 'c-count': [{ 'anything-but': [100, 200] }] } }, EC2_EVENT)).toBe(
      true,
    );
  });

  it('matches exists on leaves only: an object-valued field counts as absent', () => {
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: true }] } }, EC2_EVENT)).toBe(true);
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: false }] } }, EC2_EVENT)).toBe(false);
    expect(matchesEventPattern({ detail: { 'd-count': [{ exists: false }] } }, EC2_EVENT)).toBe(true);
    // The README's example: `c-count` holding an object is not a leaf, so exists:false matches.
    expect(
      matchesEventPattern(
        { detail: { 'c-count': [{ exists: false }] } },
        { detail: { 'c-count': { c1: 100 } } },
      ),
    ).toBe(true);
    // A nested pattern under an absent object reaches only exists:false leaves.
    expect(matchesEventPattern({ detail: { a: { b: [{ exists: false }] } } }, EC2_EVENT)).toBe(true);
    expect(matchesEventPattern({ detail: { a: { b: ['x'] } } }, EC2_EVENT)).toBe(false);
  });

  it('treats $or as the README does: parallel, with an and inside, and nested', () => {
    const metric = {
      source: 'aws.cloudwatch',
      metricType: 'MetricType',
      namespace: 'AWS/EC2',
      spaceId: 1000,
    };
    expect(
      matchesEventPattern(
        {
          source: ['aws.cloudwatch'],
          $or: [
            { metricName: ['CPUUtilization'] },
            {
              metricType: ['MetricType'],
              namespace: ['AWS/EC2'],
              $or: [{ metricId: [1234] }, { spaceId: [1000] }],
            },
          ],
        },
        metric,
      ),
    ).toBe(true);
    expect(
      matchesEventPattern(
        { $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/ES'] }], source: ['aws.cloudwatch'] },
        metric,
      ),
    ).toBe(false);
    expect(() => matchesEventPattern({ $or: [{ a: ['x'] }] }, metric)).toThrow(/at least two/);
  });

  it('refuses operators it does not implement', () => {
    expect(() => matchesEventPattern({ detail: { 'c-count': [{ numeric: ['>', 0] }] } }, EC2_EVENT)).toThrow(
      /unsupported/,
    );
  });
});
