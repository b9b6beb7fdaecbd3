import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { SourceAccessError, StreamPutError } from './errors';

/** Kinesis limits (PutRecords): 500 records and 5 MiB per call; 1 MiB per record (data + key). */
export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
export const MAX_BYTES_PER_RECORD = 1024 * 1024;

export interface KinesisPublisherOptions {
  client: Pick<KinesisClient, 'send'>;
  streamName: string;
  /** Attempts per record before giving up (default 10). */
  maxAttempts?: number;
  /** Backoff base and cap in ms (default 100 and 5,000); full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface PublisherStats {
  recordsPut: number;
  putCalls: number;
  retriedRecords: number;
  tooLarge: number;
}

interface Entry {
  data: Uint8Array;
  partitionKey: string;
  size: number;
}

/**
 * Buffers records and puts them with PutRecords within the per-call limits; entries that come
 * back with an ErrorCode (FailedRecordCount > 0) are retried, alone, with exponential backoff
 * and full jitter. Order within a partition key is kept per call, not across retries (Kinesis
 * gives no stronger guarantee for PutRecords either; the detector's conditional writes make
 * the outcome independent of it).
 */
export class KinesisPublisher {
  readonly stats: PublisherStats = { recordsPut: 0, putCalls: 0, retriedRecords: 0, tooLarge: 0 };
  private buffer: Entry[] = [];
  private bufferBytes = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: KinesisPublisherOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Adds one record; false (and counted as too large) when it exceeds 1 MiB. */
  async add(data: Uint8Array, partitionKey: string): Promise<boolean> {
    const size = data.byteLength + Buffer.byteLength(partitionKey, 'utf8');
    if (size > MAX_BYTES_PER_RECORD) {
      this.stats.tooLarge++;
      return false;
    }
    if (this.buffer.length >= MAX_RECORDS_PER_CALL || this.bufferBytes + size > MAX_BYTES_PER_CALL) {
      await this.flush();
    }
    this.buffer.push({ data, partitionKey, size });
    this.bufferBytes += size;
    return true;
  }

  /** Puts everything buffered. */
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.bufferBytes = 0;
    await this.putWithRetries(batch);
  }

  private async putWithRetries(batch: Entry[]): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 10;
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      const failed = await this.putOnce(pending);
      this.stats.recordsPut += pending.length - failed.length;
      if (failed.length === 0) return;
      if (attempt >= maxAttempts) {
        throw new StreamPutError(`${failed.length} record(s) still rejected after ${attempt} attempts`);
      }
      this.stats.retriedRecords += failed.length;
      pending = failed;
      await this.sleep(this.backoff(attempt));
    }
  }

  /** One PutRecords call; returns the entries to retry. */
  private async putOnce(entries: Entry[]): Promise<Entry[]> {
    const records: PutRecordsRequestEntry[] = entries.map((e) => ({
      Data: e.data,
      PartitionKey: e.partitionKey,
    }));
    this.stats.putCalls++;
    try {
      const out = await this.options.client.send(
        new PutRecordsCommand({ StreamName: this.options.streamName, Records: records }),
      );
      if (!out.FailedRecordCount) return [];
      return entries.filter((_, i) => out.Records?.[i]?.ErrorCode !== undefined);
    } catch (err) {
      const name = (err as { name?: string }).name ?? 'Error';
      if (name === 'ResourceNotFoundException') {
        throw new SourceAccessError(`stream ${this.options.streamName} does not exist`, { cause: err });
      }
      if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException') {
        throw new SourceAccessError(`access to stream ${this.options.streamName} refused (${name})`, {
          cause: err,
        });
      }
      if (name === 'ValidationException' || name === 'InvalidArgumentException') {
        throw new StreamPutError(`PutRecords failed: ${name}`, { cause: err });
      }
      // Throttling, time-outs and network failures: the whole call is retried.
      return entries;
    }
  }

  private backoff(attempt: number): number {
    const base = this.options.baseDelayMs ?? 100;
    const cap = this.options.maxDelayMs ?? 5000;
    return Math.floor(this.random() * Math.min(cap, base * 2 ** (attempt - 1)));
  }
}
