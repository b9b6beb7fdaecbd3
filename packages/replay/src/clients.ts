import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface ClientOptions {
  region?: string;
  /** Endpoint override (local emulators); S3 then uses path-style addressing. */
  endpoint?: string;
}

function base(options: ClientOptions): { region?: string; endpoint?: string } {
  const c: { region?: string; endpoint?: string } = {};
  if (options.region !== undefined) c.region = options.region;
  if (options.endpoint !== undefined) c.endpoint = options.endpoint;
  return c;
}

export function createReplayS3Client(options: ClientOptions): S3Client {
  return new S3Client({
    ...base(options),
    ...(options.endpoint !== undefined && {
      forcePathStyle: true,
      // Emulators such as s3rver predate the SDK's default checksum trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    }),
  });
}

export function createReplayDynamoClient(options: ClientOptions): DynamoDBClient {
  return new DynamoDBClient(base(options));
}

/** HTTP/1.1: PutRecords needs no HTTP/2, and kinesalite does not speak it. */
export function createReplayKinesisClient(options: ClientOptions): KinesisClient {
  return new KinesisClient({ ...base(options), requestHandler: new NodeHttpHandler() });
}
