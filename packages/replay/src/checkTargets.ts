import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { TargetAccessError } from './errors';

// What is checked here is what would otherwise fail only after every object was read (a
// replay of months of CloudTrail takes hours): output paths, and the tables or stream written.

/** An output file (`--report`, `--out`, `--checkpoint`) can be created or overwritten. */
export async function checkWritablePath(option: string, path: string): Promise<void> {
  const full = resolve(path);
  const info = await stat(full).catch(() => undefined);
  try {
    if (info?.isDirectory()) throw new Error('it is a directory');
    await access(info ? full : dirname(full), constants.W_OK);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new TargetAccessError(`--${option} ${path} cannot be written (${why})`, { cause: err });
  }
}

function explain(err: unknown, what: string, notFound: string): TargetAccessError {
  const e = err as { name?: string; message?: string };
  const name = e.name ?? 'Error';
  if (name === notFound)
    return new TargetAccessError(`${what} does not exist (in this region)`, { cause: err });
  if (name === 'CredentialsProviderError')
    return new TargetAccessError(
      `no AWS credentials for ${what}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`,
      { cause: err },
    );
  return new TargetAccessError(`${what} cannot be used (${name}: ${e.message ?? ''})`, { cause: err });
}

/** Each table exists and the credentials may describe it (region, credentials, name in one call). */
export async function checkTables(client: DynamoDBClient, tables: string[]): Promise<void> {
  for (const table of tables) {
    try {
      await client.send(new DescribeTableCommand({ TableName: table }));
    } catch (err) {
      throw explain(err, `table ${table}`, 'ResourceNotFoundException');
    }
  }
}

/** The stream exists and the credentials may describe it. */
export async function checkStream(client: KinesisClient, streamName: string): Promise<void> {
  try {
    await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  } catch (err) {
    throw explain(err, `stream ${streamName}`, 'ResourceNotFoundException');
  }
}
