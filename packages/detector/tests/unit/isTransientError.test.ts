import { TransientStoreError } from '@firstseen/core';
import { QuarantineWriteError } from '../../src/errors';
import { isTransientError } from '../../src/isTransientError';

describe('isTransientError()', () => {
  it.each([
    ['a store TransientStoreError', new TransientStoreError('throttled')],
    ['a quarantine write failure', new QuarantineWriteError('s3 down')],
    [
      'a throttling SDK error',
      Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }),
    ],
    ['an SDK error marked retryable', Object.assign(new Error('x'), { $retryable: {} })],
    ['a 503 response', Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    [
      'a missing table wrapped by a store',
      new Error('DynamoDB claim failed', {
        cause: Object.assign(new Error('Cannot do operations on a non-existent table'), {
          name: 'ResourceNotFoundException',
        }),
      }),
    ],
  ])('treats %s as transient', (_label, err) => {
    expect(isTransientError(err)).toBe(true);
  });

  it.each([
    ['a TypeError', new TypeError('x is undefined')],
    [
      'a validation error',
      Object.assign(new Error('item too large'), {
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400 },
      }),
    ],
    ['a thrown string', 'boom'],
  ])('treats %s as a bug, not transient', (_label, err) => {
    expect(isTransientError(err)).toBe(false);
  });
});
