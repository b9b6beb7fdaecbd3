import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  createDynamoDbClient,
  createDynamoDbStreamsClient,
  createKinesisClient,
  createS3Client,
} from './clients';
import { type DynamoDbLocalOptions, startDynamoDbLocal } from './startDynamoDbLocal';
import { startKinesalite } from './startKinesalite';
import { startS3rver } from './startS3rver';

export interface LocalEmulatorsOptions {
  /** Start DynamoDB Local (default true); an object passes its options. */
  dynamodb?: boolean | DynamoDbLocalOptions;
  /** Start s3rver (default true). */
  s3?: boolean;
  /** Start kinesalite (default true). */
  kinesis?: boolean;
}

export interface LocalEmulators {
  endpoints: { dynamodb?: string; s3?: string; kinesis?: string };
  clients: {
    dynamodb?: DynamoDBClient;
    dynamodbStreams?: DynamoDBStreamsClient;
    s3?: S3Client;
    kinesis?: KinesisClient;
  };
  /** Destroys the clients and stops every emulator that was started. Idempotent. */
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Starts the chosen emulators side by side on free 127.0.0.1 ports, with ready-made clients.
 * If one fails to start, the ones already running are stopped before the error is thrown.
 */
export async function startLocalEmulators(options: LocalEmulatorsOptions = {}): Promise<LocalEmulators> {
  const running: Stoppable[] = [];
  const result: LocalEmulators = { endpoints: {}, clients: {}, stop: async () => {} };
  const stopAll = async () => {
    for (const c of Object.values(result.clients)) c?.destroy();
    await Promise.allSettled(running.splice(0).map((r) => r.stop()));
  };
  const started = await Promise.allSettled([
    options.dynamodb !== false
      ? startDynamoDbLocal(typeof options.dynamodb === 'object' ? options.dynamodb : {}).then((d) => {
          running.push(d);
          result.endpoints.dynamodb = d.endpoint;
          result.clients.dynamodb = createDynamoDbClient(d.endpoint);
          result.clients.dynamodbStreams = createDynamoDbStreamsClient(d.endpoint);
        })
      : undefined,
    options.s3 !== false
      ? startS3rver().then((s) => {
          running.push(s);
          result.endpoints.s3 = s.endpoint;
          result.clients.s3 = createS3Client(s.endpoint);
        })
      : undefined,
    options.kinesis !== false
      ? startKinesalite().then((k) => {
          running.push(k);
          result.endpoints.kinesis = k.endpoint;
          result.clients.kinesis = createKinesisClient(k.endpoint);
        })
      : undefined,
  ]);
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure !== undefined) {
    await stopAll();
    throw failure.reason;
  }
  result.stop = stopAll;
  return result;
}
