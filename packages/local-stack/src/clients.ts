import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Region of every local client; the emulators accept any, this one keeps them consistent. */
export const LOCAL_REGION = 'us-east-1';

/** DynamoDB Local and kinesalite check that a signature is present, not that it is valid. */
export const dummyCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** s3rver accepts only its own fixed key pair (and verifies the signature with it). */
export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export function createDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: dummyCredentials });
}

export function createDynamoDbStreamsClient(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ endpoint, region: LOCAL_REGION, credentials: dummyCredentials });
}

/** Path-style (s3rver has no virtual-host buckets on 127.0.0.1); checksums only when required. */
export function createS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials: s3rverCredentials,
    forcePathStyle: true,
    // s3rver predates the SDK's default CRC32 trailers (aws-chunked bodies) and rejects them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * The Kinesis client needs an HTTP/1.1 handler: the SDK's default for Kinesis is HTTP/2
 * (for SubscribeToShard), which kinesalite does not speak.
 */
export function createKinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: dummyCredentials,
    requestHandler: new NodeHttpHandler(),
  });
}
