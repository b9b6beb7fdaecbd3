import type { FailedBatch, OnFailureDestination } from '@firstseen/local-stack';

/** An on-failure destination that counts what it was sent: the report's shard stalls and discarded records. */
export class CountingDestination implements OnFailureDestination {
  batches = 0;
  records = 0;
  constructor(private readonly inner: OnFailureDestination) {}
  async send(batch: FailedBatch<unknown>, payload: unknown): Promise<void> {
    await this.inner.send(batch, payload);
    this.batches++;
    this.records += batch.records.length;
  }
}
