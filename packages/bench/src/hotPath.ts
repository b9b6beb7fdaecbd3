import {
  createKeyCache,
  decodeRecord,
  type KeyState,
  levelKeys,
  toEventBridgeEnvelope,
} from '@firstseen/core';

export interface HotPathResult {
  payloads: number;
  /** Mean base64 payload length in characters (what Kinesis hands the detector). */
  meanPayloadChars: number;
  rounds: number;
  /** Median records per CPU-second of decode -> validate -> normalise -> level keys -> cache lookup. */
  oursPerSec: number;
  /** Median records per CPU-second of base64 -> UTF-8 -> JSON.parse alone on the same payloads. */
  jsonParsePerSec: number;
  /** oursPerSec / jsonParsePerSec. */
  ratio: number;
  /** What each side of the comparison includes. */
  baseline: string;
}

// Both sides decode UTF-8 with the same fatal TextDecoder the detector uses (core's decodeRecord).
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The Kinesis record data of each record: a base64 EventBridge envelope, as Lambda delivers it. */
export function toKinesisPayloads(records: Iterable<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const r of records) out.push(Buffer.from(JSON.stringify(toEventBridgeEnvelope(r))).toString('base64'));
  return out;
}

/** base64 -> UTF-8 -> JSON.parse: the least any detector must do with a record. */
export function jsonParseOnly(payloads: readonly string[]): number {
  let sink = 0;
  for (const p of payloads) {
    const value = JSON.parse(utf8.decode(Buffer.from(p, 'base64'))) as { id?: string };
    if (value.id !== undefined) sink++;
  }
  return sink;
}

/**
 * firstseen's hot path up to the store: base64 -> decodeRecord (UTF-8, JSON.parse, envelope,
 * zod validation, principal normalisation) -> the three level keys -> a lookup of each in the
 * engine's key cache (createKeyCache, an LRU keyed by the partition key).
 */
export function firstseenHotPath(
  payloads: readonly string[],
  cache: ReturnType<typeof createKeyCache>,
): number {
  let sink = 0;
  for (const p of payloads) {
    for (const d of decodeRecord(Buffer.from(p, 'base64'))) {
      if (d.outcome !== 'observed') continue;
      for (const k of levelKeys(d.event)) {
        if (cache.get(k.pk) !== undefined) sink++;
      }
    }
  }
  return sink;
}

/** The engine's default cache holding every key of the payloads (steady state: every lookup hits). */
export function warmCache(payloads: readonly string[]): ReturnType<typeof createKeyCache> {
  const cache = createKeyCache();
  for (const p of payloads) {
    for (const d of decodeRecord(Buffer.from(p, 'base64'))) {
      if (d.outcome !== 'observed') continue;
      for (const k of levelKeys(d.event)) {
        const state: KeyState = {
          lastSeen: d.event.time,
          firstEventId: d.event.eventId,
          succeeded: true,
          firstSuccessEventId: d.event.eventId,
          source: 'live',
        };
        cache.set(k.pk, state);
      }
    }
  }
  return cache;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// CPU time of this process rather than wall time: on a shared machine the wall clock counts the
// time other processes held the core; CPU time (GC threads included) is what the path costs.
function rate(n: number, run: () => number): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return n / ((used.user + used.system) / 1e6);
}

/**
 * Both paths over the same pre-built payloads, in the same process, in interleaved rounds (the
 * order alternates each round so neither always runs on a warmer or cooler machine), after one
 * warm-up round of each. Reports the medians.
 */
export function measureHotPath(payloads: readonly string[], rounds: number): HotPathResult {
  const cache = warmCache(payloads);
  jsonParseOnly(payloads);
  firstseenHotPath(payloads, cache);
  const ours: number[] = [];
  const json: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      json.push(rate(payloads.length, () => jsonParseOnly(payloads)));
      ours.push(rate(payloads.length, () => firstseenHotPath(payloads, cache)));
    } else {
      ours.push(rate(payloads.length, () => firstseenHotPath(payloads, cache)));
      json.push(rate(payloads.length, () => jsonParseOnly(payloads)));
    }
  }
  const oursPerSec = median(ours);
  const jsonParsePerSec = median(json);
  const meanPayloadChars = payloads.reduce((s, p) => s + p.length, 0) / Math.max(1, payloads.length);
  return {
    payloads: payloads.length,
    meanPayloadChars: Math.round(meanPayloadChars),
    rounds,
    oursPerSec: Math.round(oursPerSec),
    jsonParsePerSec: Math.round(jsonParsePerSec),
    ratio: oursPerSec / jsonParsePerSec,
    baseline:
      'both: base64 -> Buffer -> UTF-8 (fatal TextDecoder) -> JSON.parse; ours adds envelope check, zod validation, principal normalisation, 3 level keys and 3 LRU cache lookups',
  };
}
