import { ConfigError, isRetryableError, TransientStoreError } from '../../src';

const named = (name: string) => Object.assign(new Error('x'), { name });
const coded = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const status = (httpStatusCode: number) =>
  Object.assign(new Error('x'), { name: 'Unknown', $metadata: { httpStatusCode } });

// The union of what the DynamoDB stores and the detector each retried before they shared one list.
describe('isRetryableError()', () => {
  it.each([
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'Throttling',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'SlowDown',
    'InternalServerError',
    'InternalError',
    'ServiceUnavailable',
    'TransactionConflictException',
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
    'AbortError',
  ])('retries an SDK error named %s', (name) => {
    expect(isRetryableError(named(name))).toBe(true);
  });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ENOTFOUND',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ERR_HTTP2_STREAM_ERROR',
  ])('retries a network error with code %s', (code) => {
    expect(isRetryableError(coded(code))).toBe(true);
  });

  it.each([500, 502, 503, 429])('retries a response with status %i', (code) => {
    expect(isRetryableError(status(code))).toBe(true);
  });

  it.each([
    ['a TransientStoreError', new TransientStoreError('throttled')],
    ['an SDK error marked retryable', Object.assign(new Error('x'), { $retryable: {} })],
    [
      'a network error the SDK re-wrapped without its code',
      Object.assign(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'), {
        $metadata: { attempts: 1 },
      }),
    ],
    ['a socket hang up', new Error('socket hang up')],
    [
      'throttling wrapped as the cause of another error',
      new Error('claim failed', { cause: named('ThrottlingException') }),
    ],
  ])('retries %s', (_label, err) => {
    expect(isRetryableError(err)).toBe(true);
  });

  it.each([
    [
      'a missing table',
      Object.assign(named('ResourceNotFoundException'), { $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a conditional failure',
      Object.assign(named('ConditionalCheckFailedException'), { $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a validation error',
      Object.assign(named('ValidationException'), { $metadata: { httpStatusCode: 400 } }),
    ],
    ['access denied', Object.assign(named('AccessDeniedException'), { $metadata: { httpStatusCode: 403 } })],
    ['a ConfigError', new ConfigError('bad config')],
    ['a TypeError', new TypeError('x is undefined')],
    ['a thrown string', 'boom'],
    ['null', null],
    ['throttling buried deeper than five causes', chain(6, named('ThrottlingException'))],
  ])('does not retry %s', (_label, err) => {
    expect(isRetryableError(err)).toBe(false);
  });
});

function chain(depth: number, root: Error): Error {
  let e = root;
  for (let i = 0; i < depth; i++) e = new Error(`wrap ${i}`, { cause: e });
  return e;
}
