/**
 * Child of cacheMemory.ts, run with --expose-gc: the heap taken by the engine's key cache
 * (createKeyCache) holding N keys, built as the engine builds them (levelKeys of events, states
 * as the store returns them).
 */
import { randomUUID } from 'node:crypto';
import { createKeyCache, type KeyState, levelKeys } from '@firstseen/core';

const { keys } = JSON.parse(process.argv[2] ?? '{}') as { keys: number };
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function settle(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

// Realistic parts: 12-digit accounts, role principals, real-looking actions and regions.
const accounts = Array.from({ length: 20 }, (_, i) => String(111122223333 + i * 1_000_003));
const regions = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
const services = ['s3', 'dynamodb', 'sqs', 'kms', 'sts', 'lambda', 'ec2', 'iam'];

const before = settle();
const cache = createKeyCache({ maxKeys: keys, maxBytes: 2 ** 40 });
const now = Date.UTC(2025, 0, 1);
let estimate = 0;
for (let i = 0; cache.size < keys; i++) {
  const event = {
    account: accounts[i % accounts.length]!,
    principal: `role/app-${i % 997}`,
    region: regions[i % regions.length]!,
    action: `${services[i % services.length]}.amazonaws.com:Operation${Math.floor(i / 997)}`,
  };
  const eventId = randomUUID();
  for (const k of levelKeys(event)) {
    if (cache.size >= keys) break;
    const state: KeyState = {
      lastSeen: now + i,
      firstEventId: eventId,
      succeeded: true,
      firstSuccessEventId: eventId,
      source: 'live',
    };
    cache.set(k.pk, { ...state });
    estimate += 2 * k.pk.length + 2 * eventId.length + 160;
  }
}
const after = settle();
const keysHeld = cache.size;
process.stdout.write(
  `${JSON.stringify({ keys: keysHeld, heapDeltaBytes: after - before, bytesPerKey: (after - before) / keysHeld, sizeCalculationPerKey: estimate / keysHeld })}\n`,
);
