import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { TransientStoreError } from '@firstseen/core';
import { throughputExceeded } from '@firstseen/test-support';
import { toStoreError } from '../../src';
import { StoreRequestError } from '../../src/errors';

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

  it('wraps a missing table in StoreRequestError (the detector decides that one is worth a redelivery)', () => {
    const cause = new ResourceNotFoundException({ message: 'no table', $metadata: { httpStatusCode: 400 } });
    expect(toStoreError('claim', cause)).toBeInstanceOf(StoreRequestError);
  });
});
