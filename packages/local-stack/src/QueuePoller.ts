import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { LocalQueue } from './LocalQueue';

export interface QueuePollerOptions {
  queue: LocalQueue;
  handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  /** Messages per invocation (default 10, Lambda's default for SQS). */
  batchSize?: number;
  /** Pause when the queue gave nothing (default 100 ms). */
  pollIntervalMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * Lambda's SQS event source mapping with ReportBatchItemFailures: receive a batch, invoke,
 * delete every message not listed in `batchItemFailures` (those reappear after the visibility
 * timeout). A handler that throws fails the whole batch: nothing is deleted.
 */
export class QueuePoller {
  private readonly options: QueuePollerOptions;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(options: QueuePollerOptions) {
    this.options = options;
  }

  /** One receive and invocation; resolves with how many messages were received. */
  async pollOnce(): Promise<number> {
    const { queue, handler } = this.options;
    const records = queue.receive(this.options.batchSize ?? 10);
    if (records.length === 0) return 0;
    let failed: Set<string>;
    try {
      const response = await handler({ Records: records });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      this.options.onError?.(err);
      return records.length;
    }
    for (const r of records) if (!failed.has(r.messageId)) queue.delete(r.receiptHandle);
    return records.length;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const n = await this.pollOnce();
        if (n === 0 && this.running) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, this.options.pollIntervalMs ?? 100);
            this.wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
          this.wake = undefined;
        }
      }
    })();
  }

  /** Stops after the invocation in flight. Idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
