import { DEFAULT_SENSITIVE_ACTIONS } from '@firstseen/core';
import { ACTION_EFFECTS, actionEffect } from '../../src/actionEffect';
import { observedEvent } from '../helpers/events';

describe('actionEffect()', () => {
  it('has a sentence for every default sensitive action', () => {
    const missing = DEFAULT_SENSITIVE_ACTIONS.filter((a) => ACTION_EFFECTS[a] === undefined);
    expect(missing).toEqual([]);
  });

  it('says what StopLogging does, in its region, naming the trail', () => {
    const event = observedEvent({
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      action: 'cloudtrail.amazonaws.com:StopLogging',
      region: 'eu-west-1',
      record: { requestParameters: { name: 'management-events' } },
    });
    expect(actionEffect(event, true)).toBe(
      'Stops CloudTrail logging in eu-west-1 (trail `management-events`)',
    );
    expect(actionEffect(event, false)).toBeUndefined();
  });

  it('names a configured sensitive action it has no sentence for', () => {
    const event = observedEvent({ action: 's3.amazonaws.com:PutBucketLogging', region: 'us-east-1' });
    expect(actionEffect(event, true)).toBe(
      'Calls `s3.amazonaws.com:PutBucketLogging` in us-east-1, on the sensitive-actions list',
    );
  });

  it('leads any call of a root principal with its unlimited access', () => {
    const event = observedEvent({ principal: 'root/111122223333', action: 's3.amazonaws.com:ListBuckets' });
    expect(actionEffect(event, false)).toMatch(
      /^As the account's root user, which no IAM policy limits: calls `s3/,
    );
  });

  it('quotes request parameters inertly and bounded', () => {
    const event = observedEvent({
      action: 'iam.amazonaws.com:CreateUser',
      record: { requestParameters: { userName: `a\`b\u202e${'x'.repeat(500)}` } },
    });
    const effect = actionEffect(event, true)!;
    expect(effect).toMatch(/^Creates IAM user `a\?b\?x+…`: a new long-lived identity$/);
    expect(effect.length).toBeLessThan(160);
  });
});
