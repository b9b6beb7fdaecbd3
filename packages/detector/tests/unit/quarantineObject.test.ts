import { quarantineBody, quarantineKey } from '../../src/quarantineObject';
import type { QuarantineItem } from '../../src/types';

const item: QuarantineItem = {
  reason: 'bad-json',
  detail: 'Unexpected end of JSON input',
  outcomes: [{ reason: 'bad-json', detail: 'Unexpected end of JSON input' }],
  shardId: 'shardId-000000000003',
  sequenceNumber: '49590000000000000000000000000000000000000000000000000042',
  partitionKey: 'arn:aws:iam::111122223333:role/deploy',
  approximateArrivalTimestamp: 1_714_608_000.5,
  data: Buffer.from('{"eventID": '),
};

describe('quarantineKey()', () => {
  it('files a record under its arrival date, shard and sequence number', () => {
    expect(quarantineKey(item)).toBe(
      'quarantine/2024/05/02/shardId-000000000003/49590000000000000000000000000000000000000000000000000042.json',
    );
  });
});

describe('quarantineBody()', () => {
  it('holds the raw bytes in base64, the reason, shard and sequence number', () => {
    const body = JSON.parse(quarantineBody(item)) as Record<string, unknown>;
    expect(Buffer.from(body.data as string, 'base64').toString()).toBe('{"eventID": ');
    expect(body).toMatchObject({
      dataEncoding: 'base64',
      text: '{"eventID": ',
      reason: 'bad-json',
      shardId: 'shardId-000000000003',
      sequenceNumber: item.sequenceNumber,
      approximateArrivalTimestamp: 1_714_608_000.5,
    });
  });

  it('keeps data that was not base64 verbatim', () => {
    const body = JSON.parse(quarantineBody({ ...item, reason: 'bad-encoding', data: '!!' })) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({ dataEncoding: 'verbatim', data: '!!' });
  });

  it('omits the text form of bytes that are not UTF-8', () => {
    const body = JSON.parse(quarantineBody({ ...item, data: Buffer.from([0xff, 0xfe, 0x00]) })) as Record<
      string,
      unknown
    >;
    expect(body.text).toBeUndefined();
  });
});
