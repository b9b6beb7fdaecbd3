import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { compareSequence } from '@firstseen/local-stack';
import { sleep } from '../sleep';
import type { Put } from './planPuts';

/**
 * Puts the records in slices of 50 spread over `publishMs`, re-putting the ones Kinesis
 * rejected; returns the last sequence number per shard, which the drain waits for.
 */
export async function publishRecords(
  kinesis: KinesisClient,
  streamName: string,
  puts: readonly Put[],
  publishMs: number,
): Promise<Map<string, string>> {
  const lastSequence = new Map<string, string>();
  const slice = 50;
  const pause = publishMs / Math.max(1, Math.ceil(puts.length / slice));
  for (let i = 0; i < puts.length; i += slice) {
    const chunk = puts.slice(i, i + slice);
    let pending = chunk;
    while (pending.length > 0) {
      const res = await kinesis.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: pending.map((p) => ({ Data: p.data, PartitionKey: p.partitionKey })),
        }),
      );
      const again: Put[] = [];
      (res.Records ?? []).forEach((r, j) => {
        if (r.ErrorCode || !r.ShardId || !r.SequenceNumber) again.push(pending[j]!);
        else {
          const prev = lastSequence.get(r.ShardId);
          if (prev === undefined || compareSequence(r.SequenceNumber, prev) > 0)
            lastSequence.set(r.ShardId, r.SequenceNumber);
        }
      });
      pending = again;
    }
    await sleep(pause);
  }
  return lastSequence;
}
