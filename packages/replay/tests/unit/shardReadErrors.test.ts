import { gzipSync } from 'node:zlib';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { InMemoryBaselineStore, parseConfig } from '@firstseen/core';
import { mockClient } from 'aws-sdk-client-mock';
import { type ShardInput, seedObjects } from '../../src/shard/seedObjects';

// No emulator throttles a GetObject or answers it with a 5xx (s3rver does neither): the real SDK
// v3 S3 client with aws-sdk-client-mock, the errors shaped as S3 documents them (SlowDown 503,
// InternalError 500, NoSuchKey 404, ExpiredToken 400) and a dropped connection as Node raises it.
const s3 = mockClient(S3Client);
const config = parseConfig({ burnInDays: 7 });
const key = (n: number) =>
  `AWSLogs/o-abc123def4/111122223333/CloudTrail/eu-west-1/2024/03/05/111122223333_CloudTrail_eu-west-1_20240305T1215Z_${n}.json.gz`;
const record = {
  eventVersion: '1.08',
  eventTime: '2024-03-05T12:10:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  eventID: 'e-1',
  awsRegion: 'eu-west-1',
  recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' },
};
const good = gzipSync(JSON.stringify({ Records: [record] }));
const batch: ShardInput = { Items: [{ Key: key(1) }, { Key: key(2) }], BatchInput: { bucket: 'trail' } };

const serviceError = (name: string, status: number, fault: 'client' | 'server', message: string) =>
  new S3ServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message });

const answer = (second: unknown) => {
  s3.reset();
  s3.on(GetObjectCommand, { Key: key(1) }).resolves({
    Body: { transformToByteArray: async () => new Uint8Array(good) } as never,
  });
  s3.on(GetObjectCommand, { Key: key(2) }).rejects(second as Error);
};

describe('seedObjects() reading S3', () => {
  afterAll(() => s3.restore());

  it('records an object that no longer exists as bad and seeds the rest', async () => {
    answer(
      new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' }),
    );
    const summary = await seedObjects(batch, {
      config,
      s3: new S3Client({}),
      target: new InMemoryBaselineStore(),
    });
    expect(summary.files).toBe(1);
    expect(summary.errors).toEqual([expect.objectContaining({ key: key(2), reason: 'unreadable' })]);
  });

  it.each([
    ['throttled', serviceError('SlowDown', 503, 'server', 'Please reduce your request rate.')],
    ['a server error', serviceError('InternalError', 500, 'server', 'We encountered an internal error.')],
    ['expired credentials', serviceError('ExpiredToken', 400, 'client', 'The provided token has expired.')],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('fails the shard when a read is %s, so Step Functions retries it', async (_why, err) => {
    answer(err);
    const target = new InMemoryBaselineStore();
    await expect(seedObjects(batch, { config, s3: new S3Client({}), target })).rejects.toThrow(
      `reading s3://trail/${key(2)} failed`,
    );
  });
});
