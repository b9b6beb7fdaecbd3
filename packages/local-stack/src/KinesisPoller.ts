import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { LOCAL_REGION } from './clients';
import type { ShardRecord } from './eventSourceMapping';
import { type BatchResponse, type ShardSource, StreamPoller, type StreamPollerOptions } from './StreamPoller';

export type KinesisHandler = (event: KinesisStreamEvent) => Promise<BatchResponse>;

export interface KinesisPollerOptions
  extends Omit<
    StreamPollerOptions<KinesisStreamRecord, KinesisStreamEvent>,
    'source' | 'toEvent' | 'handler'
  > {
  client: KinesisClient;
  streamName: string;
  handler: KinesisHandler;
}

/**
 * Kinesis -> a function, as Lambda's Kinesis event source mapping delivers it: per shard
 * GetShardIterator (after the checkpoint, else TRIM_HORIZON) and GetRecords, each batch a real
 * KinesisStreamEvent (base64 data, eventID `shardId-...:sequenceNumber`, eventSourceARN).
 */
export class KinesisPoller extends StreamPoller<KinesisStreamRecord, KinesisStreamEvent> {
  constructor(options: KinesisPollerOptions) {
    const { client, streamName, handler, ...rest } = options;
    const source = new KinesisShardSource(client, streamName);
    super({
      ...rest,
      source,
      handler,
      toEvent: (records) => ({ Records: records }),
    });
    this.source = source;
  }

  private readonly source: KinesisShardSource;

  override async start(): Promise<void> {
    await this.source.describe();
    await super.start();
  }
}

class KinesisShardSource implements ShardSource<KinesisStreamRecord> {
  streamArn = '';
  private shards: { shardId: string; parentShardId?: string }[] = [];

  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  async describe(): Promise<void> {
    const { StreamDescription } = await this.client.send(
      new DescribeStreamCommand({ StreamName: this.streamName }),
    );
    this.streamArn = StreamDescription?.StreamARN ?? '';
    this.shards = (StreamDescription?.Shards ?? []).map((s) => ({
      shardId: s.ShardId!,
      ...(s.ParentShardId ? { parentShardId: s.ParentShardId } : {}),
    }));
  }

  async listShards(): Promise<{ shardId: string; parentShardId?: string }[]> {
    await this.describe();
    return this.shards;
  }

  async iterator(shardId: string, after: string | undefined): Promise<string | undefined> {
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: this.streamName,
        ShardId: shardId,
        ...(after !== undefined
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  async read(
    shardId: string,
    iterator: string,
    limit: number,
  ): Promise<{ records: ShardRecord<KinesisStreamRecord>[]; next: string | undefined }> {
    const out = await this.client.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.max(1, Math.min(limit, 10_000)) }),
    );
    const records = (out.Records ?? []).map((r): ShardRecord<KinesisStreamRecord> => {
      const arrivalMs = r.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
      const sequenceNumber = r.SequenceNumber!;
      return {
        sequenceNumber,
        arrivalMs,
        record: {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: r.PartitionKey ?? '',
            sequenceNumber,
            data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
            approximateArrivalTimestamp: arrivalMs / 1000,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `${shardId}:${sequenceNumber}`,
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'arn:aws:iam::000000000000:role/firstseen-local',
          awsRegion: LOCAL_REGION,
          eventSourceARN: this.streamArn,
        },
      };
    });
    return { records, next: out.NextShardIterator ?? undefined };
  }
}
