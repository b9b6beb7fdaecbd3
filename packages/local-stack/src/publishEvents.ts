import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { normalisePrincipal } from '@firstseen/core';
import { LocalStackError } from './errors';

/** One event for the stream: an EventBridge envelope or a bare CloudTrail record. */
export type StreamEvent = object;

export interface PublishedEvent {
  eventId: string;
  shardId: string;
  sequenceNumber: string;
  /** Epoch milliseconds just before the PutRecords call that carried it. */
  putAt: number;
}

/**
 * The partition key: the canonical principal, so one principal's events stay in one shard in
 * order (every level key contains the principal, so this is the order detection depends on);
 * else the account, else the eventID.
 */
export function partitionKeyOf(event: StreamEvent): string {
  const record = recordOf(event);
  const p = normalisePrincipal(record);
  if (p.outcome === 'principal') return p.principal.slice(0, 256);
  const fallback = record.recipientAccountId ?? record.eventID ?? 'unknown';
  return String(fallback).slice(0, 256) || 'unknown';
}

function recordOf(event: StreamEvent): Record<string, unknown> {
  const detail = (event as { detail?: unknown }).detail;
  return (typeof detail === 'object' && detail !== null ? detail : event) as Record<string, unknown>;
}

function eventIdOf(event: StreamEvent): string {
  const record = recordOf(event);
  return typeof record.eventID === 'string' ? record.eventID : '';
}

/**
 * Puts events on the stream with PutRecords (500 per call, in order), retrying the entries a
 * call rejects. Returns where each landed.
 */
export async function publishEvents(
  client: KinesisClient,
  streamName: string,
  events: Iterable<StreamEvent>,
  clock: () => number = Date.now,
): Promise<PublishedEvent[]> {
  const out: PublishedEvent[] = [];
  let batch: StreamEvent[] = [];
  const flush = async () => {
    let pending = batch;
    batch = [];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 10) throw new LocalStackError(`PutRecords kept rejecting ${pending.length} records`);
      const entries: PutRecordsRequestEntry[] = pending.map((e) => ({
        Data: Buffer.from(JSON.stringify(e)),
        PartitionKey: partitionKeyOf(e),
      }));
      const putAt = clock();
      const res = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: entries }));
      const retry: StreamEvent[] = [];
      (res.Records ?? []).forEach((r, i) => {
        const e = pending[i]!;
        if (r.ErrorCode || !r.SequenceNumber || !r.ShardId) retry.push(e);
        else out.push({ eventId: eventIdOf(e), shardId: r.ShardId, sequenceNumber: r.SequenceNumber, putAt });
      });
      pending = retry;
      if (retry.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
    }
  };
  for (const e of events) {
    batch.push(e);
    if (batch.length === 500) await flush();
  }
  if (batch.length > 0) await flush();
  return out;
}
