import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

export interface LocalQueueOptions {
  /** Name in the ARN Lambda's SQS records carry (default `firstseen-trail`). */
  name?: string;
  /** How long a received message stays invisible (default 30 s, SQS's default). */
  visibilityTimeoutMs?: number;
  /** Receives after which a message moves to the dead-letter queue (SQS redrive policy; default 5). */
  maxReceiveCount?: number;
  /** The dead-letter queue; without one, messages are received for ever. */
  deadLetterQueue?: LocalQueue;
  clock?: () => number;
}

interface StoredMessage {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

/**
 * An in-memory queue with the SQS standard queue semantics the trail feed relies on: a receive
 * returns up to N visible messages and hides them for the visibility timeout; a message not
 * deleted before then is received again with a higher receive count; on the receive that would
 * exceed maxReceiveCount it moves to the dead-letter queue instead (SQS's redrive policy).
 * Only the latest receipt handle deletes a message, as in SQS.
 */
export class LocalQueue {
  readonly name: string;
  readonly arn: string;
  private readonly visibilityTimeoutMs: number;
  private readonly maxReceiveCount: number;
  private readonly deadLetterQueue: LocalQueue | undefined;
  private readonly clock: () => number;
  private readonly messages = new Map<string, StoredMessage>();

  constructor(options: LocalQueueOptions = {}) {
    this.name = options.name ?? 'firstseen-trail';
    this.arn = `arn:aws:sqs:us-east-1:000000000000:${this.name}`;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.deadLetterQueue = options.deadLetterQueue;
    this.clock = options.clock ?? Date.now;
  }

  send(body: string): string {
    const messageId = randomUUID();
    const now = this.clock();
    this.messages.set(messageId, { messageId, body, sentAt: now, receiveCount: 0, visibleAt: now });
    return messageId;
  }

  /** Messages in the queue, visible or in flight. */
  get size(): number {
    return this.messages.size;
  }

  /** The bodies of every message held (for a dead-letter queue's report). */
  bodies(): string[] {
    return [...this.messages.values()].map((m) => m.body);
  }

  /** Up to `max` visible messages, as Lambda's SQS event records, hidden for the visibility timeout. */
  receive(max: number): SQSRecord[] {
    const now = this.clock();
    const out: SQSRecord[] = [];
    for (const m of [...this.messages.values()]) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (this.deadLetterQueue !== undefined && m.receiveCount >= this.maxReceiveCount) {
        this.messages.delete(m.messageId);
        this.deadLetterQueue.send(m.body);
        continue;
      }
      m.receiveCount++;
      m.firstReceivedAt ??= now;
      m.visibleAt = now + this.visibilityTimeoutMs;
      m.receiptHandle = randomUUID();
      out.push({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: this.arn,
        awsRegion: 'us-east-1',
      });
    }
    return out;
  }

  /** Deletes a message by its latest receipt handle; a stale handle deletes nothing. */
  delete(receiptHandle: string): boolean {
    for (const m of this.messages.values()) {
      if (m.receiptHandle === receiptHandle) return this.messages.delete(m.messageId);
    }
    return false;
  }
}
