import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecordSdk,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LOCAL_REGION } from './clients';
import type { ShardRecord } from './eventSourceMapping';
import { type BatchResponse, type ShardSource, StreamPoller, type StreamPollerOptions } from './StreamPoller';

export type DynamoDbStreamHandler = (event: DynamoDBStreamEvent) => Promise<BatchResponse>;

export interface DynamoDbStreamPollerOptions
  extends Omit<StreamPollerOptions<DynamoDBRecord, DynamoDBStreamEvent>, 'source' | 'toEvent' | 'handler'> {
  client: DynamoDBStreamsClient;
  streamArn: string;
  handler: DynamoDbStreamHandler;
  /**
   * The mapping's filter criteria: records it rejects are never delivered and count as
   * processed. Default: INSERT only (the dispatcher's `{"eventName": ["INSERT"]}`).
   */
  filter?: (record: DynamoDBRecord) => boolean;
}

export const insertOnly = (record: DynamoDBRecord): boolean => record.eventName === 'INSERT';

/**
 * A DynamoDB stream -> a function, as Lambda's DynamoDB event source mapping delivers it:
 * DescribeStream for the shards (re-listed, since DynamoDB rolls shards over; a child shard is
 * read after its parent), GetRecords per shard, filter criteria, and the same failure handling
 * as Kinesis with `itemIdentifier` = the stream record's SequenceNumber.
 */
export class DynamoDbStreamPoller extends StreamPoller<DynamoDBRecord, DynamoDBStreamEvent> {
  constructor(options: DynamoDbStreamPollerOptions) {
    const { client, streamArn, handler, filter, ...rest } = options;
    super({
      shardDiscoveryMs: 2_000,
      ...rest,
      source: new DynamoDbShardSource(client, streamArn, filter ?? insertOnly),
      handler,
      toEvent: (records) => ({ Records: records }),
    });
  }
}

class DynamoDbShardSource implements ShardSource<DynamoDBRecord> {
  constructor(
    private readonly client: DynamoDBStreamsClient,
    readonly streamArn: string,
    private readonly filter: (record: DynamoDBRecord) => boolean,
  ) {}

  async listShards(): Promise<{ shardId: string; parentShardId?: string }[]> {
    const shards: { shardId: string; parentShardId?: string }[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.client.send(
        new DescribeStreamCommand({
          StreamArn: this.streamArn,
          ...(start !== undefined ? { ExclusiveStartShardId: start } : {}),
        }),
      );
      for (const s of StreamDescription?.Shards ?? []) {
        shards.push({ shardId: s.ShardId!, ...(s.ParentShardId ? { parentShardId: s.ParentShardId } : {}) });
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    return shards;
  }

  isTrimmed(err: unknown): boolean {
    return (err as { name?: string } | null)?.name === 'TrimmedDataAccessException';
  }

  async iterator(shardId: string, after: string | undefined): Promise<string | undefined> {
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ...(after !== undefined
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  async read(
    _shardId: string,
    iterator: string,
    limit: number,
  ): Promise<{ records: ShardRecord<DynamoDBRecord>[]; next: string | undefined; skippedThrough?: string }> {
    const out = await this.client.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.max(1, Math.min(limit, 1000)) }),
    );
    const records: ShardRecord<DynamoDBRecord>[] = [];
    let skippedThrough: string | undefined;
    for (const r of out.Records ?? []) {
      const record = toLambdaRecord(r, this.streamArn);
      const sequenceNumber = r.dynamodb?.SequenceNumber ?? '';
      if (!this.filter(record)) {
        // Only meaningful when nothing after it is delivered in this read.
        if (records.length === 0) skippedThrough = sequenceNumber;
        continue;
      }
      const created = r.dynamodb?.ApproximateCreationDateTime;
      records.push({ record, sequenceNumber, arrivalMs: created ? created.getTime() : Date.now() });
    }
    const result: {
      records: ShardRecord<DynamoDBRecord>[];
      next: string | undefined;
      skippedThrough?: string;
    } = {
      records,
      next: out.NextShardIterator ?? undefined,
    };
    if (records.length === 0 && skippedThrough !== undefined) result.skippedThrough = skippedThrough;
    return result;
  }
}

/** The SDK's record (Dates, Uint8Arrays) as Lambda's JSON event carries it (epoch seconds, base64). */
function toLambdaRecord(r: StreamRecordSdk, streamArn: string): DynamoDBRecord {
  const d = r.dynamodb;
  const json = JSON.parse(
    JSON.stringify(d ?? {}, (_k, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
    ),
  ) as Record<string, unknown>;
  if (d?.ApproximateCreationDateTime)
    json.ApproximateCreationDateTime = Math.floor(d.ApproximateCreationDateTime.getTime() / 1000);
  const record: DynamoDBRecord = {
    eventID: r.eventID ?? '',
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion ?? LOCAL_REGION,
    eventSourceARN: streamArn,
    dynamodb: json as DynamoDBRecord['dynamodb'],
  };
  if (r.eventName) record.eventName = r.eventName as NonNullable<DynamoDBRecord['eventName']>;
  return record;
}

/**
 * Everything a DynamoDB stream holds now, from the start of each shard, as one event shaped as
 * Lambda's event source mapping delivers it (unfiltered). For tests that invoke a handler
 * directly; a running pipeline uses DynamoDbStreamPoller.
 */
export async function readStreamEvent(
  client: DynamoDBStreamsClient,
  streamArn: string,
): Promise<DynamoDBStreamEvent> {
  const source = new DynamoDbShardSource(client, streamArn, () => true);
  const Records: DynamoDBRecord[] = [];
  for (const { shardId } of await source.listShards()) {
    let iterator = await source.iterator(shardId, undefined);
    while (iterator !== undefined) {
      const { records, next } = await source.read(shardId, iterator, 1000);
      if (records.length === 0) break;
      Records.push(...records.map((r) => r.record));
      iterator = next;
    }
  }
  return { Records };
}
