import { ConditionalCheckFailedException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { TransientStoreError } from '@firstseen/core';
import { isTransientDynamoError, StoreRequestError, throughputExceeded, toStoreError } from '../../src';

describe('isTransientDynamoError()', () => {
  it.each([
    ['ProvisionedThroughputExceededException'],
    ['ThrottlingException'],
    ['RequestLimitExceeded'],
    ['InternalServerError'],
    ['TimeoutError'],
  ])('classifies %s as transient', (name) => {
    const err = Object.assign(new Error('x'), { name });
    expect(isTransientDynamoError(err)).toBe(true);
  });

  it('classifies network errors by code as transient', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(isTransientDynamoError(err)).toBe(true);
  });

  it('classifies a network error the SDK re-wrapped without its code as transient', () => {
    const err = Object.assign(
      new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'),
      {
        $metadata: { attempts: 1 },
      },
    );
    expect(isTransientDynamoError(err)).toBe(true);
  });

  it('classifies a 5xx response as transient', () => {
    const err = Object.assign(new Error('bad gateway'), {
      name: 'Unknown',
      $metadata: { httpStatusCode: 502 },
    });
    expect(isTransientDynamoError(err)).toBe(true);
  });

  it('classifies validation, missing tables and conditional failures as not transient', () => {
    const missing = new ResourceNotFoundException({
      message: 'no table',
      $metadata: { httpStatusCode: 400 },
    });
    const conditional = new ConditionalCheckFailedException({
      message: 'no',
      $metadata: { httpStatusCode: 400 },
    });
    const validation = Object.assign(new Error('bad'), { name: 'ValidationException' });
    expect([missing, conditional, validation].map(isTransientDynamoError)).toEqual([false, false, false]);
  });
});

describe('toStoreError()', () => {
  it('wraps throttling in TransientStoreError with the SDK error as cause', () => {
    const cause = throughputExceeded();
    const err = toStoreError('claim', cause);
    expect(err).toBeInstanceOf(TransientStoreError);
    expect(err.cause).toBe(cause);
  });

  it('wraps a permanent failure in StoreRequestError', () => {
    const cause = Object.assign(new Error('bad'), { name: 'ValidationException' });
    const err = toStoreError('claim', cause);
    expect(err).toBeInstanceOf(StoreRequestError);
    expect(err).not.toBeInstanceOf(TransientStoreError);
  });
});
