import { toEventBridgeEnvelope } from '@firstseen/core';
import { partitionKeyOf } from '@firstseen/local-stack';
import { randomInt } from '../random';
import { POISON_KINDS, type PoisonRecord, poisonRecord } from './poisonRecords';

/** One Kinesis record to put: its bytes, partition key, and what it is. */
export interface Put {
  data: Buffer;
  partitionKey: string;
  eventId?: string;
  poison?: PoisonRecord;
}

/**
 * Producer retries: each record is put 1 to 3 times; a copy lands a few records later, as a
 * retried PutRecords would. Poison records (a share `poisonRate`, each distinct) are mixed in.
 */
export function planPuts(
  events: readonly Record<string, unknown>[],
  random: () => number,
  poisonRate: number,
): { puts: Put[]; duplicates: number; poison: PoisonRecord[] } {
  const originals: Put[] = [];
  const poison: PoisonRecord[] = [];
  events.forEach((e, i) => {
    const envelope = toEventBridgeEnvelope(e);
    originals.push({
      data: Buffer.from(JSON.stringify(envelope)),
      partitionKey: partitionKeyOf(envelope),
      eventId: String(e.eventID),
    });
    if (random() < poisonRate) {
      const kind = POISON_KINDS[poison.length % POISON_KINDS.length]!;
      const p = poisonRecord(kind, i, e);
      poison.push(p);
      originals.push({ data: p.data, partitionKey: `poison-${randomInt(random, 0, 999)}`, poison: p });
    }
  });
  const slots: { at: number; put: Put }[] = [];
  let duplicates = 0;
  originals.forEach((put, i) => {
    slots.push({ at: i, put });
    const copies = randomInt(random, 1, 3) - 1;
    for (let c = 0; c < copies; c++) {
      duplicates++;
      slots.push({ at: i + randomInt(random, 0, 40) + 0.5, put });
    }
  });
  slots.sort((a, b) => a.at - b.at);
  return { puts: slots.map((s) => s.put), duplicates, poison };
}
