import { type LocalStack, startLocalStack } from '@firstseen/local-stack';
import type { DemoContext } from '../context';

/**
 * DynamoDB Local, kinesalite and s3rver on loopback, with the events stream, the tables and the
 * buckets provisioned (`startLocalStack`).
 */
export async function startEmulators(ctx: DemoContext): Promise<LocalStack> {
  ctx.write('Starting DynamoDB Local, kinesalite and s3rver on 127.0.0.1...\n');
  // TTL stays off (createTables): `npm run send` may bring CloudTrail files of any age, whose keys
  // DynamoDB Local's sweeper would delete by the wall clock; the claims check expiry either way.
  return startLocalStack({ shards: ctx.options.shards ?? 2 });
}

export function showEndpoints(ctx: DemoContext, stack: LocalStack): void {
  ctx.write(
    `  DynamoDB ${stack.endpoints.dynamodb}  Kinesis ${stack.endpoints.kinesis}  S3 ${stack.endpoints.s3}\n`,
  );
}
