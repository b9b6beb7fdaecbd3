import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseObject } from '../../src';
import { isFailedBatchKey } from '../../src/failedBatch';

// Lambda's on-failure records as its S3 destination writes them (shape from the Lambda
// developer guide, "Retain discarded batch records for a Kinesis Data Streams event source":
// metadata, KinesisBatchInfo or DDBStreamBatchInfo, and the whole event as `payload`).
const events = join(__dirname, '..', 'events');
const kinesisBatch = readFileSync(join(events, 'failed-kinesis-batch.json'));
const alertsBatch = readFileSync(join(events, 'failed-alerts-batch.json'));
const KEY =
  'aws/lambda/a1b2c3d4-5678-90ab-cdef-123456789abc/shardId-000000000001/2026/12/05/2026-12-05T22.14.03-6c1e0f2e-3b7a-4d55-9f0e-2f8f3b1d9a77';

describe('failed batches of the failure bucket', () => {
  it('recognises the object keys Lambda writes to an S3 on-failure destination', () => {
    expect(isFailedBatchKey(KEY)).toBe(true);
    expect(isFailedBatchKey('AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/05/x.json.gz')).toBe(false);
  });

  it('gives the EventBridge envelopes of the failed Kinesis batch, decoded from base64', () => {
    const values = parseObject(KEY, kinesisBatch);
    expect(values).toHaveLength(2);
    expect(
      values.map((v) => (v.ok ? (v.value as { detail: { eventID: string } }).detail.eventID : v.detail)),
    ).toEqual(['evt-1', 'evt-2']);
  });

  it('reads a payload given as a JSON string too', () => {
    const record = JSON.parse(kinesisBatch.toString('utf8'));
    record.payload = JSON.stringify(record.payload);
    expect(parseObject(KEY, Buffer.from(JSON.stringify(record)))).toHaveLength(2);
  });

  it('makes a record whose data is not base64 JSON one invalid value, keeping the others', () => {
    const record = JSON.parse(kinesisBatch.toString('utf8'));
    record.payload.Records[0].kinesis.data = Buffer.from('{truncated').toString('base64');
    expect(parseObject(KEY, Buffer.from(JSON.stringify(record))).map((v) => v.ok)).toEqual([false, true]);
  });

  it('refuses a metadata-only record (SQS/SNS destinations) with a clear reason', () => {
    const record = JSON.parse(kinesisBatch.toString('utf8'));
    delete record.payload;
    expect(() => parseObject(KEY, Buffer.from(JSON.stringify(record)))).toThrow(
      /no-payload: .*only S3 destinations/,
    );
  });

  it('points a failed alerts-stream batch to the redrive instead of the stream', () => {
    expect(() => parseObject(KEY, alertsBatch)).toThrow(/not-kinesis: .*npm run redrive/);
  });
});
