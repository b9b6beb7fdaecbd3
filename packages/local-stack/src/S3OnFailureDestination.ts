import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FailedBatch, OnFailureDestination } from './eventSourceMapping';

export interface S3OnFailureDestinationOptions {
  client: S3Client;
  bucket: string;
  /** Event source mapping id in the object key (Lambda uses the mapping's UUID). */
  mappingId: string;
  /** 'KinesisBatchInfo' or 'DDBStreamBatchInfo', as in Lambda's invocation record. */
  batchInfoName: 'KinesisBatchInfo' | 'DDBStreamBatchInfo';
  clock?: () => number;
}

/**
 * Lambda's S3 on-failure destination: one JSON object per discarded batch at
 * `aws/lambda/<mapping>/<shardId>/YYYY/MM/DD/<timestamp>-<uuid>`, holding the invocation
 * metadata (condition, invoke count, batch info with the sequence-number range) and, as an S3
 * destination does, the whole invocation payload, so the records' data can be redriven.
 */
export class S3OnFailureDestination implements OnFailureDestination {
  private readonly clock: () => number;

  constructor(private readonly options: S3OnFailureDestinationOptions) {
    this.clock = options.clock ?? Date.now;
  }

  async send(batch: FailedBatch<unknown>, payload: unknown): Promise<void> {
    const now = new Date(this.clock());
    const iso = now.toISOString();
    const day = iso.slice(0, 10).replaceAll('-', '/');
    const stamp = iso.slice(0, 19).replaceAll(':', '.');
    const key = `aws/lambda/${this.options.mappingId}/${batch.shardId}/${day}/${stamp}-${randomUUID()}`;
    const first = batch.records[0];
    const last = batch.records[batch.records.length - 1];
    const body = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${batch.functionName}`,
        condition: batch.condition,
        approximateInvokeCount: batch.approximateInvokeCount,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        functionError: batch.functionError ?? '',
      },
      version: '1.0',
      timestamp: iso,
      [this.options.batchInfoName]: {
        shardId: batch.shardId,
        startSequenceNumber: first?.sequenceNumber,
        endSequenceNumber: last?.sequenceNumber,
        approximateArrivalOfFirstRecord: first ? new Date(first.arrivalMs).toISOString() : undefined,
        approximateArrivalOfLastRecord: last ? new Date(last.arrivalMs).toISOString() : undefined,
        batchSize: batch.records.length,
        streamArn: batch.streamArn,
      },
      payload,
    };
    await this.options.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: JSON.stringify(body),
        ContentType: 'application/json',
      }),
    );
  }
}
