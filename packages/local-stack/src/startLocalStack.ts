import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import { type CreatedTables, createBucket, createTables } from './createTables';
import { LocalStackError } from './errors';
import type { DynamoDbLocalOptions } from './startDynamoDbLocal';
import { startLocalEmulators } from './startLocalEmulators';

export interface LocalStackOptions {
  /** Table and bucket name prefix (default `firstseen-local`). */
  prefix?: string;
  /** Shards of the events stream (default 2). */
  shards?: number;
  dynamodb?: DynamoDbLocalOptions;
  /** TTL on the tables (default false, see createTables); DynamoDB Local deletes expired items by the wall clock. */
  enableTtl?: boolean;
}

export interface LocalStackResources {
  streamName: string;
  streamArn: string;
  baselineTable: string;
  alertsTable: string;
  /** The alerts table's stream (NEW_IMAGE), read by the dispatcher's poller. */
  alertsStreamArn: string;
  quarantineBucket: string;
  /** The on-failure destination of both event source mappings. */
  failuresBucket: string;
}

export interface LocalStack {
  endpoints: { dynamodb: string; s3: string; kinesis: string };
  clients: {
    dynamodb: DynamoDBClient;
    dynamodbStreams: DynamoDBStreamsClient;
    s3: S3Client;
    kinesis: KinesisClient;
  };
  resources: LocalStackResources;
  /** Destroys the clients and stops every emulator; nothing is left listening. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The whole AWS side of firstseen on 127.0.0.1: DynamoDB Local, kinesalite and s3rver on free
 * ports, the events stream, the baseline and alerts tables from the shared definitions (the
 * alerts table with its stream), and the quarantine and failures buckets.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const prefix = options.prefix ?? 'firstseen-local';
  const shards = options.shards ?? 2;
  const emulators = await startLocalEmulators({ dynamodb: options.dynamodb ?? true });
  try {
    const { dynamodb, dynamodbStreams, s3, kinesis } = emulators.clients;
    const { endpoints } = emulators;
    if (
      !dynamodb ||
      !dynamodbStreams ||
      !s3 ||
      !kinesis ||
      !endpoints.dynamodb ||
      !endpoints.s3 ||
      !endpoints.kinesis
    ) {
      throw new LocalStackError('an emulator did not start');
    }
    const streamName = `${prefix}-events`;
    const quarantineBucket = `${prefix}-quarantine`;
    const failuresBucket = `${prefix}-failures`;
    const [tables, streamArn] = await Promise.all([
      createTables(dynamodb, prefix, { enableTtl: options.enableTtl ?? false }),
      createStream(kinesis, streamName, shards),
      createBucket(s3, quarantineBucket),
      createBucket(s3, failuresBucket),
    ]).then(([t, arn]) => [t, arn] as [CreatedTables, string]);
    const alertsStreamArn = tables.alerts.streamArn;
    if (alertsStreamArn === undefined) throw new LocalStackError('the alerts table has no stream');
    return {
      endpoints: { dynamodb: endpoints.dynamodb, s3: endpoints.s3, kinesis: endpoints.kinesis },
      clients: { dynamodb, dynamodbStreams, s3, kinesis },
      resources: {
        streamName,
        streamArn,
        baselineTable: tables.baseline.tableName,
        alertsTable: tables.alerts.tableName,
        alertsStreamArn,
        quarantineBucket,
        failuresBucket,
      },
      stop: () => emulators.stop(),
    };
  } catch (err) {
    await emulators.stop();
    throw err;
  }
}

async function createStream(client: KinesisClient, streamName: string, shards: number): Promise<string> {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shards }));
  for (let i = 0; i < 200; i++) {
    const { StreamDescriptionSummary: s } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    if (s?.StreamStatus === 'ACTIVE' && s.StreamARN) return s.StreamARN;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new LocalStackError(`stream ${streamName} did not become active`);
}
