import type { KinesisStreamBatchItemFailure, KinesisStreamRecord } from 'aws-lambda';
import { compareSequenceNumbers, shardIdOf } from './kinesisRecords';

/**
 * The partial batch response for a set of failed records. Lambda checkpoints at the lowest
 * reported sequence number and redelivers everything from there, so per shard this reports the
 * lowest failed record and every record after it in that shard (explicit, and correct even
 * if a caller only honours the listed items). Records before it are acknowledged.
 */
export function batchItemFailures(
  records: readonly KinesisStreamRecord[],
  failed: ReadonlySet<KinesisStreamRecord>,
): KinesisStreamBatchItemFailure[] {
  if (failed.size === 0) return [];
  const lowest = new Map<string, string>();
  for (const r of failed) {
    const shard = shardIdOf(r);
    const seq = r.kinesis.sequenceNumber;
    const current = lowest.get(shard);
    if (current === undefined || compareSequenceNumbers(seq, current) < 0) lowest.set(shard, seq);
  }
  return records
    .filter((r) => {
      const from = lowest.get(shardIdOf(r));
      return from !== undefined && compareSequenceNumbers(r.kinesis.sequenceNumber, from) >= 0;
    })
    .sort(
      (a, b) =>
        shardIdOf(a).localeCompare(shardIdOf(b)) ||
        compareSequenceNumbers(a.kinesis.sequenceNumber, b.kinesis.sequenceNumber),
    )
    .map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber }));
}
